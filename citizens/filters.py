import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from callcenter.fields import BoundedDateFormField

from .models import RecordAccess


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateFormField


class RecordAccessFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(label=_("User"), field_name="user__username", max_length=150)
    ticket = django_filters.CharFilter(
        label=_("Ticket"), field_name="ticket_reference", max_length=12
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=RecordAccess.Channel.choices, empty_label=_("All")
    )
    day = DateFilter(label=_("Day"), method="filter_day", widget=forms.DateInput({"type": "date"}))

    class Meta:
        model = RecordAccess
        fields = []

    def filter_day(self, queryset, name, value):
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.filter(at__gte=start, at__lt=start + datetime.timedelta(days=1))
