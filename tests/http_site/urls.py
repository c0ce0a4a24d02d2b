from __future__ import annotations

import os
import time

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
    return HttpResponse("<h1>weareone</h1>")


def again(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/")


def step(request: HttpRequest, number: int) -> HttpResponse:
    # Every address is new: a long chain, not a loop.
    return HttpResponseRedirect(f"/step/{number + 1}/")


urlpatterns = [path("", home), path("again/", again), path("step/<int:number>/", step)]
