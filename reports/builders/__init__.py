"""One module per document kind; importing the package registers them all."""
