"""Forms of the evidence locker. They check what is cheap (how many files, how large, which type from the first
bytes, the other fields); ``documents.evidence`` checks each file all the way through and may still refuse."""

from django import forms
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import validation
from .evidence import DESCRIPTION_MAX_LENGTH, REASON_MAX_LENGTH
from .models import EvidenceKind, ProvidedBy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Where a form came from, so success goes back there: the case page (its panel) or the evidence page.
RETURN_TO = [("case", "case"), ("evidence", "evidence")]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by ``validation`` rather than by FileField's own rules."""

    widget = MultipleFileInput

    def to_python(self, data):
        return [upload for upload in (data or []) if upload is not None]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, data, initial=None):
        value = self.to_python(data if isinstance(data, list | tuple) else [data] if data else [])
        self.validate(value)
        self.run_validators(value)
        return value


class EvidenceUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, JPEG, PNG, WebP, HEIC, plain text or CSV, Word (DOCX). Several at once are fine."),
        error_messages={"required": _("Choose at least one file.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    document_date = forms.DateField(
        label=_("Date of the document"), required=False, widget=DATE_WIDGET, help_text=_("The date on the document.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    provided_by = forms.ChoiceField(label=_("Provided by"), choices=ProvidedBy.choices, initial=ProvidedBy.WORKER)
    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    next = forms.ChoiceField(choices=RETURN_TO, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_files(self):
        files = self.cleaned_data["files"]
        try:
            validation.check_batch(files)
            for upload in files:
                validation.check_type(upload)
        except validation.EvidenceRejected as exc:
            raise forms.ValidationError(str(exc.message)) from exc
        return files

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received_on


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why remove it?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the file is being removed.")},
    )
    next = forms.ChoiceField(choices=RETURN_TO, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, evidence_id: int, **kwargs):
        # Each row of the list has its own form; the prefix keeps their ids apart.
        super().__init__(*args, prefix=f"remove-{evidence_id}", **kwargs)
        self.evidence_id = evidence_id


class UploadLimitHandler(FileUploadHandler):
    """First in the upload handler chain: past any limit, file data is dropped instead of spooled to disk.

    The request is still read to its end (the form's other fields and its CSRF token are parsed as usual), but no
    more than the limits' worth of file data reaches Django's temporary files. ``refusal`` then says why, and the
    view shows it on the form. (The web server's own body limit belongs just above ``MAX_REQUEST_BYTES``.)
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.body_too_large = False
        self.count = 0
        self.total = 0
        self.current = 0
        self.oversized: str | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_too_large = validation.request_too_large(content_length)

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.count += 1
        self.current = 0

    def receive_data_chunk(self, raw_data, start):
        if self.refusal:
            return None  # nothing more reaches the next handler (and the disk)
        self.current += len(raw_data)
        self.total += len(raw_data)
        if self.current > validation.MAX_FILE_BYTES:
            self.oversized = validation.safe_display_name(self.file_name)
        return None if self.refusal else raw_data

    def file_complete(self, file_size):
        return None

    @property
    def refusal(self) -> str | None:
        """Why the upload is refused (a message for staff), or None while every limit holds."""
        if self.body_too_large or self.total > validation.MAX_REQUEST_BYTES:
            return validation.too_many_bytes_message()
        if self.count > validation.MAX_FILES:
            return validation.too_many_files_message(self.count)
        if self.oversized:
            return validation.too_large_message(self.oversized)
        return None
