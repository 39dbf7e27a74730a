"""Serving uploaded files: only from the upload folder, never sniffed, never active.

Every stored file is answered with ``X-Content-Type-Options: nosniff`` and
``Content-Security-Policy: default-src 'none'; sandbox`` (a file opened directly cannot
run script or reach anything, whatever a browser makes of it).  Re-encoded images may be
shown inline (``<img>`` tags of logos and speaker photos); everything else — PDFs — is
always a download (``Content-Disposition: attachment``).
"""

from __future__ import annotations

from flask import abort, current_app, send_file
from flask.typing import ResponseReturnValue

from core.models import Upload
from core.services.uploads import file_path

UPLOAD_CSP = "default-src 'none'; sandbox"
INLINE_TYPES = frozenset({"image/png", "image/jpeg"})


def send_upload(upload: Upload | None, *, max_age: int | None = None) -> ResponseReturnValue:
    """Send a stored file with the safe headers; 404 unless it lies in the upload folder."""
    if upload is None:
        abort(404)
    path = file_path(current_app.config["UPLOAD_FOLDER"], upload)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=upload.content_type,
        download_name=upload.filename,
        as_attachment=upload.content_type not in INLINE_TYPES,
        max_age=max_age,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = UPLOAD_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
