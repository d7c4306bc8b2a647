"""S3-compatible object storage (MinIO, Ceph, a cloud bucket) as a backend of the upload store, through ``boto3``.

Chosen by ``STORAGE_BACKEND=s3``, with ``S3_BUCKET`` and, when needed, ``S3_ENDPOINT_URL``, ``S3_REGION`` and
``S3_PREFIX``; the credentials come the way boto3 finds them (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``,
a shared credentials file, an instance role), never from the application's configuration.

Downloads stream from the bucket through the application rather than redirect to a presigned URL: the application
keeps the only door to the files (its access checks run on every download and every download is a security event),
the download headers stay its own (``attachment``, ``nosniff``, ``no-store``), and the bucket is never exposed to the
browsers — it may stay on a private network. The price is one pass of the bytes through a worker, which for files of
10 MB at most is small.

Every failure of the store (unreachable, refused, missing bucket) is raised as
:class:`~app.core.errors.Unavailable` (the 503 page); a missing object is a 404.
"""

from flask import Response, send_file
from werkzeug.exceptions import NotFound

from app.core.errors import Unavailable

# Answers in seconds, not minutes: a request waiting on a dead store holds a worker. Two attempts in all.
_CONNECT_TIMEOUT = 5
_READ_TIMEOUT = 30
_ATTEMPTS = 2
_CHUNK = 64 * 1024


def _client(endpoint_url: str | None, region: str | None):
    # boto3 is imported here: only the installations that use the object store pay for its import.
    import boto3
    from botocore.config import Config

    # A session of its own: boto3's default session is not safe to share between threads, and it would keep the
    # credentials it found first for every later client.
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url or None,
        region_name=region or None,
        config=Config(
            connect_timeout=_CONNECT_TIMEOUT,
            read_timeout=_READ_TIMEOUT,
            retries={"max_attempts": _ATTEMPTS, "mode": "standard"},
            # Path-style addresses (endpoint/bucket/key) work with MinIO and Ceph as well as with cloud buckets.
            s3={"addressing_style": "path"},
        ),
    )


def _is_missing(error) -> bool:
    code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
    return code in {"NoSuchKey", "404", "NotFound"}


class ObjectStore:
    """Files as objects of one bucket, under ``prefix`` (so that several installations may share a bucket)."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None, prefix: str = ""):
        from botocore.exceptions import BotoCoreError, ClientError

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = _client(endpoint_url, region)
        self._errors = (BotoCoreError, ClientError)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def write(self, key: str, content: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=content)
        except self._errors as exc:
            raise Unavailable(f"write {key}: {exc}") from exc

    def read(self, key: str) -> bytes:
        """The whole content of an object (tests, maintenance); 404 when it is missing."""
        body, _length = self._open(key)
        with body:
            return body.read()

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except self._errors as exc:
            raise Unavailable(f"delete {key}: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self._errors as exc:
            if _is_missing(exc):
                return False
            raise Unavailable(f"head {key}: {exc}") from exc
        return True

    def _open(self, key: str):
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self._errors as exc:
            if _is_missing(exc):
                raise NotFound() from None
            raise Unavailable(f"read {key}: {exc}") from exc
        return answer["Body"], answer["ContentLength"]

    def send(self, key: str, download_name: str, content_type: str) -> Response:
        """The object streamed to the browser in chunks, as a download; the body is closed when the response is."""
        body, length = self._open(key)
        response = send_file(
            _Chunks(body),
            as_attachment=True,
            download_name=download_name,
            mimetype=content_type,
            max_age=0,
            conditional=False,
            etag=False,
        )
        response.content_length = length
        return response


class _Chunks:
    """The object's body as the file-like object ``send_file`` reads in blocks and closes at the end."""

    def __init__(self, body):
        self.body = body

    def read(self, size: int = _CHUNK) -> bytes:
        return self.body.read(size if size and size > 0 else _CHUNK)

    def close(self) -> None:
        self.body.close()
