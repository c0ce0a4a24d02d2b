from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from tests.http_site import settings


def home(request: HttpRequest) -> HttpResponse:
    if settings.PROFILE == "slow":
        time.sleep(5)
    if settings.PROFILE == "loop":
        return HttpResponseRedirect("/again/")
    request.session["visited"] = True
    get_token(request)
    return HttpResponse("<h1>weareone</h1>")


def again(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/")


urlpatterns = [path("", home), path("again/", again)]
