"""Signing in to the admin: a throttle on wrong passwords (django-axes), explained on the page.

After `AXES_FAILURE_LIMIT` wrong passwords for one username from one address, that username is
locked out from that address for `AXES_COOLOFF_TIME` (settings.py). Other usernames, and the same
username from elsewhere, are not affected. An editor lifts a lockout early by deleting it in the
admin (Axes: Access attempts); `manage.py axes_reset_username NAME` does it from a shell.
"""

import contextlib
import datetime
import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import timezone


def client_address(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address the outermost of `TRUSTED_PROXIES` proxies saw.

    Each proxy appends the address it received from to X-Forwarded-For, so with N proxies the
    client is the Nth entry from the right; whatever the client wrote there itself is further
    left and ignored. With no proxies (the default) the header is ignored: REMOTE_ADDR. This is
    the rule DRF's throttles follow with `NUM_PROXIES`.
    """
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if settings.TRUSTED_PROXIES and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        candidate = entries[-min(settings.TRUSTED_PROXIES, len(entries))]
        with contextlib.suppress(ValueError):  # not an address: keep the peer's
            address = str(ipaddress.ip_address(candidate))
    return address


def time_left(request, username: str) -> datetime.timedelta:
    """How long `username` stays locked out from this client's address: the cool-off from the
    last counted failure (failures during a lockout are not counted, so it does not move)."""
    last = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    ends = (last or timezone.now()) + get_cool_off(request)
    return max(ends - timezone.now(), datetime.timedelta(0))


def in_minutes(duration: datetime.timedelta) -> str:
    minutes = max(1, math.ceil(duration.total_seconds() / 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def lockout_response(request, response, credentials):
    """AXES_LOCKOUT_CALLABLE: the admin's sign-in page again (429, with Retry-After), saying why
    signing in is refused, for how long, and whom to ask.

    `response` is the admin's sign-in page as its view rendered it, complaining about the
    password; its context is reused with an empty form and the explanation as an error message.
    """
    username = get_client_username(request, credentials) or ""
    wait = time_left(request, username)
    messages.error(
        request,
        f"Too many wrong passwords for “{username}” from your address: signing in with this "
        f"username from here is paused for {in_minutes(wait)}. Please wait, then try again. "
        "If you cannot wait, ask an editor or an administrator to lift the lock.",
    )
    context = {
        **response.context_data,
        "form": AdminAuthenticationForm(request, initial={"username": username}),
    }
    page = TemplateResponse(request, response.template_name, context, status=429)
    page["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return page.render()
