from __future__ import annotations

import os
import time

import django
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from tests.http_site import settings


def home(request: HttpRequest) -> HttpResponse:
    if settings.PROFILE == "slow":
        time.sleep(5)
    if settings.PROFILE == "loop":
        return HttpResponseRedirect("/again/")
    if settings.PROFILE == "moved":
        # The usual apex-to-www set-up, or a move to another of the site's hosts.
        return HttpResponsePermanentRedirect(os.environ["SITE_REDIRECT_TO"])
    if settings.PROFILE == "chain":
        return HttpResponseRedirect("/step/1/")
    request.session["visited"] = True
    get_token(request)
    response = HttpResponse("<h1>weareone</h1>")
    # SITE_CSP and SITE_CSP_REPORT_ONLY send a policy of the test's own, as a proxy or a view could.
    for header, variable in (
        ("Content-Security-Policy", "SITE_CSP"),
        ("Content-Security-Policy-Report-Only", "SITE_CSP_REPORT_ONLY"),
    ):
        if variable in os.environ:
            response[header] = os.environ[variable]
    if settings.SECURE and "Content-Security-Policy" not in response and django.VERSION < (6, 0):
        response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    return response


def again(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/")


def step(request: HttpRequest, number: int) -> HttpResponse:
    # Every address is new: a long chain, not a loop.
    return HttpResponseRedirect(f"/step/{number + 1}/")


urlpatterns = [path("", home), path("again/", again), path("step/<int:number>/", step)]
