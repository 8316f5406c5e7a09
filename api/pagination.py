"""Page-number pagination for every list of the API: 50 rows a page, up to 200 on request."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """The requested page size, refused (400) unless it is a whole number from 1 to the
        maximum: a client asking for 500 rows should learn that it gets fewer."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: _("Enter a whole number from 1 to %(maximum)d.")
                    % {"maximum": self.max_page_size}
                }
            )
        return int(value)

    def get_page_number(self, request, paginator):
        """An empty or non-numeric page is refused (400) instead of read as page 1."""
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise ValidationError({self.page_query_param: _("Enter a whole number, 1 or more.")})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(
                    minimum=1, maximum=self.max_page_size, default=self.page_size
                )
        return parameters
