"""The Alibaba Cloud and Tencent Cloud SMS backends (campaigns/sms/aliyun.py, tencent.py).

Most tests hand the backend a fake client that records the SDK request model it receives and
answers with the SDK's own response models. A few drive the real SDK clients against a server
on the loopback interface (never the providers): they prove the request goes out as expected
and that neither errors nor the SDKs' debug logs carry the number or the parameters.
"""

import json
import logging
import socket
import threading
import traceback
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client as AliyunClient
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils_models import Config as AliyunConfig
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.policy.retry import RetryPolicyContext
from darabonba.runtime import RuntimeOptions
from django.core.exceptions import ImproperlyConfigured
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as tencent_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from campaigns.sms import aliyun, tencent
from campaigns.sms.aliyun import AliyunSmsBackend
from campaigns.sms.backends import SmsMessage, SmsSendError
from campaigns.sms.tencent import TencentSmsBackend

PHONE = "13812345678"
# Distinctive values, in the template's order (Tencent takes them by position).
PARAMS = {"code": "482916", "purpose": "报名核验"}
MESSAGE = SmsMessage(phone=PHONE, kind="code", params=PARAMS, text="【中国移动】验证码482916…")


def assert_private(text: str) -> None:
    assert PHONE not in text
    for value in PARAMS.values():
        assert value not in text


def assert_error_private(exc: BaseException) -> None:
    """Neither the message nor the traceback a worker would log names the recipient."""
    assert_private(str(exc))
    assert_private("".join(traceback.format_exception(exc)))


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SMS_SIGN_NAME = "中国移动"
    settings.SMS_TEMPLATES = {"code": "SMS_123456", "reply": "SMS_654321"}
    settings.SMS_ALIYUN = {
        "access_key_id": "LTAI-dummy-id",
        "access_key_secret": "dummy-secret",
        "endpoint": "dysmsapi.aliyuncs.com",
    }
    settings.SMS_TENCENT = {
        "secret_id": "AKID-dummy",
        "secret_key": "dummy-key",
        "region": "ap-guangzhou",
        "sdk_app_id": "1400006666",
    }
    return settings


# --- Alibaba Cloud ------------------------------------------------------------------------


def aliyun_response(code: str, message: str = "OK") -> dysms_models.SendSmsResponse:
    body = dysms_models.SendSmsResponseBody(
        biz_id="900619746936498440^0", code=code, message=message, request_id="F655A8D5"
    )
    return dysms_models.SendSmsResponse(status_code=200, headers={}, body=body)


class FakeAliyunClient:
    def __init__(self, response=None, error=None):
        self.response = response or aliyun_response("OK")
        self.error = error
        self.calls = []

    def send_sms_with_options(self, request, runtime):
        self.calls.append((request, runtime))
        if self.error:
            raise self.error
        return self.response


def test_aliyun_builds_the_send_sms_request():
    client = FakeAliyunClient()
    AliyunSmsBackend(client=client).send(MESSAGE)

    [(request, runtime)] = client.calls
    assert isinstance(request, dysms_models.SendSmsRequest)
    assert request.phone_numbers == PHONE
    assert request.sign_name == "中国移动"
    assert request.template_code == "SMS_123456"
    assert json.loads(request.template_param) == PARAMS
    assert "报名核验" in request.template_param  # UTF-8 as is, not \u escapes
    assert isinstance(runtime, RuntimeOptions)
    assert 0 < runtime.connect_timeout <= 5000
    assert 0 < runtime.read_timeout <= 10000


def test_aliyun_refusal_raises_with_the_code_only():
    refusal = aliyun_response("isv.BUSINESS_LIMIT_CONTROL", f"触发小时级流控Permits:5 {PHONE}")
    backend = AliyunSmsBackend(client=FakeAliyunClient(response=refusal))

    with pytest.raises(SmsSendError) as caught:
        backend.send(MESSAGE)

    assert str(caught.value) == "aliyun: isv.BUSINESS_LIMIT_CONTROL"
    assert_error_private(caught.value)


def _network_error() -> UnretryableException:
    # What the SDK raises when the connection fails: the text quotes the request URL.
    url = f"/?PhoneNumbers={PHONE}&TemplateParam=%7B%22code%22%3A%22482916%22%7D"
    inner = RetryError(f"HTTPSConnectionPool: Max retries exceeded with url: {url}")
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=inner))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ClientException(
                status_code=400,
                code="isv.MOBILE_NUMBER_ILLEGAL",
                message=f"非法手机号 {PHONE}",
                data={"Message": f"非法手机号 {PHONE}"},
            ),
            "aliyun: isv.MOBILE_NUMBER_ILLEGAL",
        ),
        (_network_error(), "aliyun: RetryError"),
    ],
    ids=["client-exception", "network-error"],
)
def test_aliyun_sdk_errors_are_wrapped_without_the_number(error, expected):
    assert PHONE in str(error)  # the SDK's own text does quote it
    backend = AliyunSmsBackend(client=FakeAliyunClient(error=error))

    with pytest.raises(SmsSendError) as caught:
        backend.send(MESSAGE)

    assert str(caught.value) == expected
    assert_error_private(caught.value)


def test_aliyun_needs_a_template_for_the_kind(settings):
    settings.SMS_TEMPLATES = {"code": ""}
    client = FakeAliyunClient()

    with pytest.raises(ImproperlyConfigured, match="CAMPAIGN_SMS_TEMPLATE_CODE"):
        AliyunSmsBackend(client=client).send(MESSAGE)
    assert client.calls == []


def test_aliyun_without_keys_is_improperly_configured(settings):
    settings.SMS_ALIYUN = {**settings.SMS_ALIYUN, "access_key_id": "", "access_key_secret": ""}

    with pytest.raises(ImproperlyConfigured) as caught:
        AliyunSmsBackend()

    assert "CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_ID" in str(caught.value)
    assert "CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_SECRET" in str(caught.value)


def test_aliyun_builds_the_real_sdk_client_from_settings():
    backend = AliyunSmsBackend()  # dummy keys: nothing is sent

    assert isinstance(backend.client, AliyunClient)
    assert backend.client._endpoint == "dysmsapi.aliyuncs.com"
    assert backend.client._connect_timeout == aliyun.CONNECT_TIMEOUT_MS
    assert backend.client._read_timeout == aliyun.READ_TIMEOUT_MS


# --- Tencent Cloud ------------------------------------------------------------------------


def tencent_response(code: str, message: str = "send success") -> tencent_models.SendSmsResponse:
    status = tencent_models.SendStatus()
    status.SerialNo = "5000:1045710669157053657849499619"
    status.PhoneNumber = "+86" + PHONE
    status.Fee = 1
    status.Code = code
    status.Message = message
    status.IsoCode = "CN"
    response = tencent_models.SendSmsResponse()
    response.SendStatusSet = [status]
    response.RequestId = "a0aabda6-cf91-4f3e-a81f-9198114a2279"
    return response


class FakeTencentClient:
    def __init__(self, response=None, error=None):
        self.response = response or tencent_response("Ok")
        self.error = error
        self.requests = []

    def SendSms(self, request):
        self.requests.append(request)
        if self.error:
            raise self.error
        return self.response


def test_tencent_builds_the_send_sms_request():
    client = FakeTencentClient()
    TencentSmsBackend(client=client).send(MESSAGE)

    [request] = client.requests
    assert isinstance(request, tencent_models.SendSmsRequest)
    assert request.PhoneNumberSet == ["+86" + PHONE]
    assert request.SmsSdkAppId == "1400006666"
    assert request.SignName == "中国移动"
    assert request.TemplateId == "SMS_123456"
    assert request.TemplateParamSet == ["482916", "报名核验"]


def test_tencent_refusal_raises_with_the_code_only():
    refusal = tencent_response(
        "LimitExceeded.PhoneNumberDailyLimit", f"the number +86{PHONE} reached its daily limit"
    )
    backend = TencentSmsBackend(client=FakeTencentClient(response=refusal))

    with pytest.raises(SmsSendError) as caught:
        backend.send(MESSAGE)

    assert str(caught.value) == "tencent: LimitExceeded.PhoneNumberDailyLimit"
    assert_error_private(caught.value)


def test_tencent_sdk_error_is_wrapped_without_the_number():
    error = TencentCloudSDKException(
        "InvalidParameterValue.IncorrectPhoneNumber", f"手机号码格式错误: +86{PHONE}", "req-1"
    )
    backend = TencentSmsBackend(client=FakeTencentClient(error=error))

    with pytest.raises(SmsSendError) as caught:
        backend.send(MESSAGE)

    assert str(caught.value) == "tencent: InvalidParameterValue.IncorrectPhoneNumber"
    assert_error_private(caught.value)


def test_tencent_needs_a_template_for_the_kind(settings):
    settings.SMS_TEMPLATES = {"code": ""}
    client = FakeTencentClient()

    with pytest.raises(ImproperlyConfigured, match="CAMPAIGN_SMS_TEMPLATE_CODE"):
        TencentSmsBackend(client=client).send(MESSAGE)
    assert client.requests == []


def test_tencent_without_keys_is_improperly_configured(settings):
    settings.SMS_TENCENT = {"secret_id": "", "secret_key": "", "region": "", "sdk_app_id": ""}

    with pytest.raises(ImproperlyConfigured) as caught:
        TencentSmsBackend()

    assert "CAMPAIGN_SMS_TENCENT_SDK_APP_ID" in str(caught.value)
    assert "CAMPAIGN_SMS_TENCENT_SECRET_ID" in str(caught.value)
    assert "CAMPAIGN_SMS_TENCENT_SECRET_KEY" in str(caught.value)


def test_tencent_with_a_client_still_needs_the_app_id(settings):
    settings.SMS_TENCENT = {**settings.SMS_TENCENT, "sdk_app_id": ""}

    with pytest.raises(ImproperlyConfigured, match="CAMPAIGN_SMS_TENCENT_SDK_APP_ID"):
        TencentSmsBackend(client=FakeTencentClient())


def test_tencent_builds_the_real_sdk_client_from_settings():
    backend = TencentSmsBackend()  # dummy keys: nothing is sent

    assert isinstance(backend.client, SmsClient)
    assert backend.client.region == "ap-guangzhou"
    assert backend.client.credential.secretId == "AKID-dummy"
    assert backend.client._get_endpoint() == "sms.tencentcloudapi.com"
    assert backend.client.profile.httpProfile.reqTimeout == tencent.TIMEOUT_SECONDS


# --- The real SDKs against a loopback server ----------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.path, self.rfile.read(length).decode()))
        body = json.dumps(self.server.reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    """A stand-in for the provider on 127.0.0.1: records requests, answers `reply`."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen, server.reply = [], {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def sdk_debug(monkeypatch, caplog):
    """Everything at DEBUG, as when someone debugs a worker (DEBUG=sdk: darabonba-core's own)."""
    monkeypatch.setenv("DEBUG", "sdk")
    caplog.set_level(logging.DEBUG)
    return caplog


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def real_aliyun(port: int) -> AliyunSmsBackend:
    config = AliyunConfig(
        access_key_id="LTAI-dummy-id",
        access_key_secret="dummy-secret",
        endpoint=f"127.0.0.1:{port}",
        protocol="http",
    )
    return AliyunSmsBackend(client=AliyunClient(config))


def real_tencent(port: int) -> TencentSmsBackend:
    http = HttpProfile(protocol="http", endpoint=f"127.0.0.1:{port}", reqTimeout=2)
    profile = ClientProfile(httpProfile=http)
    client = SmsClient(Credential("AKID-dummy", "dummy-key"), "ap-guangzhou", profile)
    return TencentSmsBackend(client=client)


def test_aliyun_real_sdk_round_trip(provider, sdk_debug, capfd):
    provider.reply = {"Code": "OK", "Message": "OK", "BizId": "9006^0", "RequestId": "F655"}
    real_aliyun(provider.server_port).send(MESSAGE)

    provider.reply = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": f"流控 {PHONE}"}
    with pytest.raises(SmsSendError, match=r"^aliyun: isv\.BUSINESS_LIMIT_CONTROL$"):
        real_aliyun(provider.server_port).send(MESSAGE)

    path, _body = provider.seen[0]
    assert f"PhoneNumbers={PHONE}" in path and "TemplateCode=SMS_123456" in path
    assert_private(sdk_debug.text)
    assert_private("".join(capfd.readouterr()))


def test_aliyun_real_sdk_network_error(sdk_debug, capfd):
    with pytest.raises(SmsSendError) as caught:
        real_aliyun(closed_port()).send(MESSAGE)

    assert str(caught.value) == "aliyun: RetryError"
    assert_error_private(caught.value)
    assert_private(sdk_debug.text)
    assert_private("".join(capfd.readouterr()))


def test_tencent_real_sdk_round_trip(provider, sdk_debug, capfd):
    status = {"Code": "Ok", "Message": "send success", "PhoneNumber": "+86" + PHONE}
    provider.reply = {"Response": {"SendStatusSet": [status], "RequestId": "r1"}}
    real_tencent(provider.server_port).send(MESSAGE)

    error = {"Code": "FailedOperation.SignatureIncorrectOrUnapproved", "Message": PHONE}
    provider.reply = {"Response": {"Error": error, "RequestId": "r2"}}
    with pytest.raises(SmsSendError) as caught:
        real_tencent(provider.server_port).send(MESSAGE)

    assert str(caught.value) == "tencent: FailedOperation.SignatureIncorrectOrUnapproved"
    _path, body = provider.seen[0]
    assert json.loads(body)["TemplateParamSet"] == ["482916", "报名核验"]
    assert_private(sdk_debug.text)
    assert_private("".join(capfd.readouterr()))


def test_tencent_real_sdk_network_error(sdk_debug, capfd):
    with pytest.raises(SmsSendError) as caught:
        real_tencent(closed_port()).send(MESSAGE)

    assert str(caught.value) == "tencent: ClientNetworkError"
    assert_error_private(caught.value)
    assert_private(sdk_debug.text)
    assert_private("".join(capfd.readouterr()))
