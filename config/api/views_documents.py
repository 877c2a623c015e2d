"""Evidence (upload, list, download) and generated filings (request, status, download) of a case.

The same services as the web pages: ``documents.evidence.evidence_upload`` checks every file by its content and
``documents.filings`` freezes, queues (after commit) and serves the PDF. Upload limits are enforced while the
request body is read — ``UploadLimitHandler`` goes first in the handler chain before anything parses the body — and
an upload beyond them is a 413 with nothing stored. Downloads are attachments the browser may not sniff or cache.
"""

import uuid

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, parsers, serializers, status
from rest_framework.response import Response

from cases.audit.services import Via, request_address
from cases.core import downloads
from cases.models import Case
from documents import storage
from documents.evidence import DESCRIPTION_MAX_LENGTH, evidence_download_logged, evidence_upload
from documents.filings import document_download, document_request
from documents.forms_evidence import UploadLimitHandler
from documents.forms_filings import FilingRequestForm
from documents.models import Document, DocumentKind, EvidenceFile, EvidenceKind, ProvidedBy
from documents.models.filing import LANGUAGE_CHOICES

from .errors import PayloadTooLarge
from .schema import errors


class CaseScoped:
    """Views under ``/cases/<case_pk>/``: the case through ``visible_to`` (404 for any other)."""

    def get_case(self) -> Case:
        return get_object_or_404(Case.objects.visible_to(self.request.user), pk=self.kwargs["case_pk"])

    def error_case_id(self) -> int | None:
        return self.kwargs.get("case_pk")


# --- evidence ------------------------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.IntegerField(source="uploaded_by_id")

    class Meta:
        model = EvidenceFile
        fields = [
            "id",
            "kind",
            "document_date",
            "description",
            "provided_by",
            "received_on",
            "display_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
        ]


class EvidenceUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), allow_empty=False)
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH, default="")
    provided_by = serializers.ChoiceField(choices=ProvidedBy.choices, default=ProvidedBy.WORKER)
    received_on = serializers.DateField()


class EvidenceListUpload(CaseScoped, generics.GenericAPIView):
    serializer_class = EvidenceSerializer
    parser_classes = [parsers.MultiPartParser]
    throttle_scope = "uploads"

    def initial(self, request, *args, **kwargs):
        # Before authentication (a session's CSRF check reads the body): limits first in the handler chain.
        self.limits = UploadLimitHandler(request._request)
        if request.method == "POST":
            request._request.upload_handlers.insert(0, self.limits)
        super().initial(request, *args, **kwargs)

    def get_throttles(self):
        # Only the upload counts against the uploads scope; reading the list is an ordinary request.
        if self.request.method != "POST":
            self.throttle_scope = None
        return super().get_throttles()

    def get_queryset(self):
        return EvidenceFile.objects.filter(case=self.get_case()).present().order_by("-id")

    @extend_schema(summary="The case's evidence", responses={200: EvidenceSerializer(many=True), **errors(400, 404)})
    def get(self, request, case_pk: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EvidenceSerializer(page, many=True).data)

    @extend_schema(
        summary="Upload evidence (one or several files)",
        request={"multipart/form-data": EvidenceUploadSerializer},
        # The files stored, as a plain array: not the paginated object the view's GET answers (a list serializer
        # here would be wrapped in one by the schema generator).
        responses={
            201: OpenApiResponse(
                {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                description="The files stored, in the order sent.",
            ),
            **errors(400, 403, 404, 409, 413),
        },
        description="Files are checked by their content (PDF, JPEG, PNG, WebP, HEIC, text/CSV, DOCX) with size, "
        "count, pixel and zip-bomb limits; all are stored or none.",
    )
    def post(self, request, case_pk: int):
        case = self.get_case()
        serializer = EvidenceUploadSerializer(data=request.data)
        if self.limits.refusal:
            raise PayloadTooLarge(self.limits.refusal)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        added = evidence_upload(
            actor=request.user,
            case_id=case.pk,
            files=data["files"],
            kind=data["kind"],
            document_date=data["document_date"],
            description=data["description"],
            provided_by=data["provided_by"],
            received_on=data["received_on"],
        )
        return Response(EvidenceSerializer(added, many=True).data, status=status.HTTP_201_CREATED)


class EvidenceDownload(generics.GenericAPIView):
    @extend_schema(
        summary="Download an evidence file",
        parameters=[
            OpenApiParameter(
                "original",
                bool,
                description="true: the file byte for byte as uploaded; default: the staff copy (images without "
                "location/EXIF data).",
            )
        ],
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file, with its sniffed type."),
            **errors(404),
        },
    )
    def get(self, request, evidence_id: int):
        evidence = get_object_or_404(EvidenceFile.objects.visible_to(request.user).present(), pk=evidence_id)
        original = request.query_params.get("original") in ("1", "true")
        try:
            handle = storage.evidence_storage().open(
                evidence.storage_name if original else evidence.display_storage_name
            )
        except FileNotFoundError as exc:
            raise Http404 from exc
        evidence_download_logged(
            actor=request.user, evidence=evidence, original=original, address=request_address(request), via=Via.API
        )
        response = FileResponse(handle, content_type=evidence.content_type)
        response["Content-Disposition"] = downloads.content_disposition(evidence.display_name)
        return downloads.protect(response)


# --- filings -------------------------------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    requested_by = serializers.IntegerField(source="requested_by_id")
    respondent = serializers.IntegerField(source="respondent_id", allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "language",
            "respondent",
            "status",
            "error",
            "sha256",
            "size",
            "pages",
            "requested_by",
            "requested_at",
            "ready_at",
        ]


class FilingRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_blank=True,
        help_text="Default: the worker's language for a receipt, the respondent's for a demand letter, else yours.",
    )
    respondent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, help_text="For a demand letter."
    )
    request_key = serializers.UUIDField(
        required=False, help_text="Idempotency key: the same key again returns the document the first request made."
    )


class FilingListRequest(CaseScoped, generics.GenericAPIView):
    serializer_class = DocumentSerializer
    throttle_scope = "filings"

    def get_throttles(self):
        if self.request.method != "POST":
            self.throttle_scope = None
        return super().get_throttles()

    @extend_schema(summary="The case's filings", responses={200: DocumentSerializer(many=True), **errors(400, 404)})
    def get(self, request, case_pk: int):
        page = self.paginate_queryset(Document.objects.filter(case=self.get_case()).order_by("-id"))
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        summary="Ask for a PDF filing (rendered in the background)",
        request=FilingRequestSerializer,
        responses={202: DocumentSerializer, **errors(400, 403, 404, 409)},
        description="Answers 202 with the pending document; poll GET /filings/{id}/ until its status is ready "
        "(or failed), then download it.",
    )
    def post(self, request, case_pk: int):
        queryset = (
            Case.objects.visible_to(request.user)
            .select_related("claimant")
            .prefetch_related("case_respondents__respondent")
        )
        case = get_object_or_404(queryset, pk=case_pk)
        shape = FilingRequestSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        data = {**shape.validated_data}
        data.setdefault("request_key", uuid.uuid4())
        # The web form's rules (who a letter goes to, the automatic language) apply to the API too.
        form = FilingRequestForm({k: "" if v is None else v for k, v in data.items()}, case=case)
        if not form.is_valid():
            raise serializers.ValidationError({name: list(messages) for name, messages in form.errors.items()})
        document = document_request(actor=request.user, case_id=case.pk, **form.service_kwargs())
        return Response(DocumentSerializer(document).data, status=status.HTTP_202_ACCEPTED)


def _visible_documents(user):
    return Document.objects.filter(case__in=Case.objects.visible_to(user).values("pk"))


class FilingDetail(generics.GenericAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(summary="A filing's status", responses={200: DocumentSerializer, **errors(404)})
    def get(self, request, pk: int):
        return Response(DocumentSerializer(get_object_or_404(_visible_documents(request.user), pk=pk)).data)


class FilingDownload(generics.GenericAPIView):
    def error_case_id(self) -> int | None:
        return (
            _visible_documents(self.request.user).filter(pk=self.kwargs["pk"]).values_list("case_id", flat=True).first()
        )

    @extend_schema(
        summary="Download a ready filing (PDF)",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **errors(404, 409)},
    )
    def get(self, request, pk: int):
        try:
            document, data = document_download(
                actor=request.user, document_id=pk, address=request_address(request), via=Via.API
            )
        except FileNotFoundError as exc:
            raise Http404(_("The PDF file is missing. Make the document again.")) from exc
        return downloads.attachment(data, filename=document.download_name, content_type="application/pdf")
