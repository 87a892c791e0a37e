"""POST chunk-upload: storage, compression and the server's limit checks, in order."""
import gzip
import hashlib

from selftest_helpers import ORG, call, multipart_body, upload_chunks


def test_gzip_and_raw_parts_are_stored_uncompressed(fake):
    a, b = b"hello chunk a", b"\x00\xffbinary\r\n--chunk b"
    r = upload_chunks(fake.url, "tok-upload", [a])
    assert (r.status, r.body) == (200, b"")
    assert upload_chunks(fake.url, "tok-upload", [b], gzip_parts=False).status == 200
    assert fake.chunks[hashlib.sha1(a).hexdigest()] == a
    assert fake.chunks[hashlib.sha1(b).hexdigest()] == b
    part = fake.requests[0]["body"][0]
    assert part["name"] == "file_gzip" and part["gzip"] is True
    assert part["filename"] == part["sha1"] == hashlib.sha1(a).hexdigest()


def test_chunk_is_stored_under_claimed_name(fake):
    body, ctype = multipart_body([("file", "0" * 40, b"not matching")])
    r = call(fake.url, "POST", ORG + "/chunk-upload/", "tok-upload", body,
             {"Content-Type": ctype})
    assert r.status == 200
    assert fake.chunks["0" * 40] == b"not matching"
    assert fake.store.chunk_checksum_ok["0" * 40] is False


def test_no_parts_is_ok(fake):
    body, ctype = multipart_body([])
    r = call(fake.url, "POST", ORG + "/chunk-upload/", "tok-upload", body, {"Content-Type": ctype})
    assert r.status == 200 and fake.chunks == {}


def test_too_many_chunks(fake):
    r = upload_chunks(fake.url, "tok-upload", [b"%d" % i for i in range(65)])
    assert (r.status, r.json()) == (400, {"error": "Too many chunks"})
    assert fake.chunks == {}


def test_chunk_too_large_counts_decoded_size(make_fake):
    s = make_fake(chunk_options={"chunkSize": 100})
    r = upload_chunks(s.url, "tok-upload", [b"x" * 101])  # gzip makes it tiny on the wire
    assert (r.status, r.json()) == (400, {"error": "Chunk size too large"})
    assert upload_chunks(s.url, "tok-upload", [b"x" * 100]).status == 200


def test_request_too_large(make_fake):
    s = make_fake(chunk_options={"maxRequestSize": 150})
    r = upload_chunks(s.url, "tok-upload", [b"a" * 100, b"b" * 100])
    assert (r.status, r.json()) == (400, {"error": "Request too large"})
    assert s.chunks == {}


def test_content_encoding_rules(fake):
    r = upload_chunks(fake.url, "tok-upload", [b"abc"], headers={"Content-Encoding": "gzip"})
    assert r.json() == {"error": "Cannot combine Content-Encoding with file_gzip field"}
    r = upload_chunks(fake.url, "tok-upload", [b"abc"], gzip_parts=False,
                      headers={"Content-Encoding": "br"})
    assert (r.status, r.json()) == (400, {"error": "Unsupported Content-Encoding"})
    # Content-Encoding: gzip on the request decodes every `file` part.
    data = b"encoded by header"
    body, ctype = multipart_body([("file", hashlib.sha1(data).hexdigest(), gzip.compress(data))])
    r = call(fake.url, "POST", ORG + "/chunk-upload/", "tok-upload", body,
             {"Content-Type": ctype, "Content-Encoding": "gzip"})
    assert r.status == 200 and fake.chunks[hashlib.sha1(data).hexdigest()] == data


def test_malformed_multipart_is_400(fake):
    r = call(fake.url, "POST", ORG + "/chunk-upload/", "tok-upload", b"--x\r\nbroken",
             {"Content-Type": "multipart/form-data; boundary=x"})
    assert r.status == 400 and r.json()["detail"].startswith("Multipart form parse error")


def test_chunked_transfer_encoding_body(fake):
    data = b"sent with chunked transfer encoding"
    body, ctype = multipart_body([("file", hashlib.sha1(data).hexdigest(), data)])
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    r = call(fake.url, "POST", ORG + "/chunk-upload/", "tok-upload", chunked,
             {"Content-Type": ctype, "Transfer-Encoding": "chunked"})
    assert r.status == 200 and fake.chunks[hashlib.sha1(data).hexdigest()] == data
