"""One FilterSet for the ticket list page and its API twin."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.fields import BoundedDateFormField, PhoneNumberFormField

from .models import Category, Channel, Status, Ticket


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PhoneFilter(django_filters.Filter):
    field_class = PhoneNumberFormField


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateFormField


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All")
    )
    caller_phone = PhoneFilter(label=_("Caller phone"), method="filter_phone")
    assigned_to = django_filters.ChoiceFilter(
        label=_("Assigned to"),
        choices=[("me", _("me"))],
        method="filter_assigned_to",
        empty_label=_("Anyone"),
    )
    created_from = DateFilter(
        label=_("Created from"),
        method="filter_created_from",
        widget=forms.DateInput({"type": "date"}),
    )
    created_to = DateFilter(
        label=_("Created to"), method="filter_created_to", widget=forms.DateInput({"type": "date"})
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)

    class Meta:
        model = Ticket
        fields = []

    def filter_phone(self, queryset, name, value):
        return queryset.filter(caller_phone=value)

    def filter_assigned_to(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value == "me" else queryset

    def filter_created_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_local_midnight(value))

    def filter_created_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_local_midnight(value + datetime.timedelta(days=1)))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
