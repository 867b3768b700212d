"""The verification snippets of docs/frontends.md accept real deliveries and nothing else."""

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "frontends.md"
NODE = shutil.which("node")


def snippet(language: str) -> str:
    """The ``language`` code block of the "Change events and webhooks" section."""
    section = DOC.read_text().split("## Change events and webhooks", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)
    return code


@pytest.fixture
def delivery(receiver, run_worker):
    endpoint = receiver.endpoint()
    article = ArticleFactory()
    run_worker()
    [received] = receiver.requests
    return endpoint.secret, received, article


def test_the_python_snippet_verifies_a_delivery(delivery):
    secret, received, article = delivery
    namespace: dict = {}
    exec(snippet("python"), namespace)

    event = namespace["verify_webhook"](secret, received.headers, received.body)

    assert (event["type"], event["object_id"]) == ("published", article.pk)


def test_the_python_snippet_refuses_a_forged_delivery(delivery):
    secret, received, _article = delivery
    namespace: dict = {}
    exec(snippet("python"), namespace)
    forged = received.body.replace(b'"published"', b'"deleted"')

    with pytest.raises(ValueError, match="signature"):
        namespace["verify_webhook"](secret, received.headers, forged)


HARNESS = """
import { verifyWebhook } from "./verify.mjs";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
try {
  const event = verifyWebhook(secret, headers, Buffer.from(body, "base64"));
  console.log(JSON.stringify({ ok: true, event }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: error.message }));
}
"""


def run_js(tmp_path: Path, secret: str, headers: dict, body: bytes) -> dict:
    (tmp_path / "verify.mjs").write_text(snippet("js"))
    (tmp_path / "harness.mjs").write_text(HARNESS)
    given = {"secret": secret, "headers": headers, "body": base64.b64encode(body).decode()}
    result = subprocess.run(
        [NODE, "harness.mjs"],
        cwd=tmp_path,
        input=json.dumps(given),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_javascript_snippet_verifies_a_delivery(delivery, tmp_path):
    secret, received, article = delivery

    outcome = run_js(tmp_path, secret, received.headers, received.body)

    assert outcome["ok"], outcome
    assert outcome["event"]["object_id"] == article.pk


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_the_javascript_snippet_refuses_a_forged_delivery(delivery, tmp_path):
    secret, received, _article = delivery
    forged = received.body.replace(b'"published"', b'"deleted"')

    outcome = run_js(tmp_path, secret, received.headers, forged)

    assert outcome == {"ok": False, "error": "no valid signature"}
