"""GET /api/v1/answers/?q= and /answers/{slug}/ (SPEC §8.5): published answers, staff."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from callcenter.api import require_perms

from . import search
from .models import Category
from .selectors import published


class AnswerSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    question = serializers.CharField()
    answer = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    legal_basis = serializers.CharField()
    updated_at = serializers.DateTimeField()


class AnswerQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


STAFF = require_perms("knowledge.view_answer")


@extend_schema(parameters=[OpenApiParameter("q", str, description="Words of the question")])
class AnswerListView(generics.ListAPIView):
    """Published answers, the best match for `q` first (else by category)."""

    permission_classes = [STAFF]
    serializer_class = AnswerSerializer
    filter_backends = []

    def get_queryset(self):
        query = AnswerQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data["q"]:
            return search.search(query.validated_data["q"], limit=50)
        return published()


class AnswerDetailView(generics.RetrieveAPIView):
    permission_classes = [STAFF]
    serializer_class = AnswerSerializer

    def get_object(self):
        return get_object_or_404(published(), slug=self.kwargs["slug"])
