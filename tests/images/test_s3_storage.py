"""Images in an S3-compatible store (django-storages), against a local S3 server: moto's
server mode, a real HTTP server speaking the S3 API, started here on a free port."""

from io import BytesIO

import pytest
from PIL import Image as PillowImage

from tests.factories import ArticleFactory, image_upload, make_image

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db

BUCKET = "clinic-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, monkeypatch, s3_endpoint):
    """The settings `MEDIA_S3_BUCKET` and `MEDIA_S3_ENDPOINT_URL` give (clinic/settings.py)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "querystring_auth": False,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def test_the_original_and_renditions_are_stored_in_the_bucket(s3):
    image = make_image(upload=image_upload(1700, 1000))
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {image.original.name, *(r["name"] for r in image.renditions)}
    stored = s3.get_object(Bucket=BUCKET, Key=image.renditions[0]["name"])
    assert stored["ContentType"] == "image/webp"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert not PillowImage.open(BytesIO(stored["Body"].read())).getexif()


def test_the_api_serves_the_buckets_addresses(api, s3, s3_endpoint):
    image = make_image(upload=image_upload(1200, 800))
    article = ArticleFactory(lead_image=image)
    served = api.get_json(f"/api/v1/articles/{article.slug_en}/").json()["image"]
    assert served["src"] == f"{s3_endpoint}/{BUCKET}/images/{image.key}/960w.jpg"


def test_renditions_already_in_the_bucket_are_not_made_again(s3):
    from clinic.images.services import image_renditions_refresh

    image = make_image(upload=image_upload(800, 600))
    before = {i["Key"]: i["LastModified"] for i in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    image_renditions_refresh(image=image)
    after = {i["Key"]: i["LastModified"] for i in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert after == before


def test_media_s3_bucket_selects_the_s3_storage():
    import os
    import subprocess
    import sys

    script = (
        "import clinic.settings as s; d = s.STORAGES['default']; "
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['endpoint_url'])"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "MEDIA_S3_BUCKET": "media",
        "MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert out.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "media",
        "http://127.0.0.1:9000",
    ]
