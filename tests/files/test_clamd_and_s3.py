"""The scanning hook against a clamd stand-in on a real unix socket (the INSTREAM protocol), and
the S3-compatible storage against moto's server, started here on loopback (docs/files.md)."""

import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import files, services
from tests.files.conftest import PDF, upload

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """Speaks clamd's zINSTREAM: reads length-prefixed chunks to a zero length, answers FOUND when
    the stream holds the EICAR test string, OK otherwise. Records what it received."""

    def __init__(self, path):
        self.path = str(path)
        self.received = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                assert self._read(conn, 10) == b"zINSTREAM\0"
                stream = b""
                while True:
                    (length,) = struct.unpack("!L", self._read(conn, 4))
                    if length == 0:
                        break
                    stream += self._read(conn, length)
                self.received.append(stream)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in stream else b"stream: OK\0"
                conn.sendall(verdict)

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(tmp_path, settings):
    server = FakeClamd(tmp_path / "clamd.sock")
    settings.CLAMD_SOCKET = server.path
    yield server
    server.close()


def test_clean_files_pass_the_scanner_in_chunks(clamd, settings, monkeypatch):
    monkeypatch.setattr(files, "CLAMD_CHUNK", 100)  # several INSTREAM chunks for one file
    data = b"meeting notes " * 50
    checked = files.check_upload(upload("notes.txt", data))
    assert checked.data == data and clamd.received == [data]


def test_what_clamd_flags_is_refused_and_the_post_text_kept(clamd, client, learner2, airtime, action_set):
    client.force_login(learner2)
    url = reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk})
    response = client.post(url, {"body": "Did you try the rota?", "kind": "clarifying",
                                 "attachments": [upload("eicar.txt", EICAR)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "the virus scanner flagged this file" in page and "Did you try the rota?" in page
    assert not airtime.replies.exists()


def test_a_scanner_that_does_not_answer_refuses_rather_than_lets_through(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload("notes.txt", b"hello"))
    assert error.value.code == "scan_unavailable"


def test_no_socket_no_scan(settings):
    settings.CLAMD_SOCKET = ""
    assert files.check_upload(upload("notes.txt", EICAR)).content_type == "text/plain"


# --- S3-compatible storage, against moto's server on loopback ---------------------------------

@pytest.fixture
def s3_storage(settings):
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials).create_bucket(
        Bucket="set-files")
    settings.STORAGES = {**settings.STORAGES, "attachments": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": "set-files", "endpoint_url": endpoint, "region_name": "us-east-1",
            "access_key": "test-key", "secret_key": "test-secret", "default_acl": "private",
            "file_overwrite": False}}}
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    server.stop()


def test_files_go_to_the_bucket_and_come_back_through_the_view(s3_storage, client, learner, airtime, action_set):
    from storages.backends.s3 import S3Storage

    assert isinstance(files.storage(), S3Storage)
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[upload("rota.pdf", PDF)])
    attachment = airtime.attachments.get()
    stored = s3_storage.get_object(Bucket="set-files", Key=attachment.key)["Body"].read()
    assert stored == PDF
    client.force_login(learner)
    response = client.get(attachment.url_for(action_set.slug))
    assert response.status_code == 200 and response.getvalue() == PDF
    assert response["Content-Disposition"] == 'inline; filename="rota.pdf"'
