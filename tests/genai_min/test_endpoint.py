"""`resolve_endpoint` and `Endpoint.versioned_url`: backend, host, version and Vertex prefix.

Every call passes an explicit `environ=` mapping, so the real environment never leaks in.
"""

from __future__ import annotations

import pytest

import genai_min
from genai_min._endpoint import Endpoint, resolve_endpoint


def resolve(
    environ: dict[str, str] | None = None,
    *,
    api_key: str | None = None,
    vertexai: bool | None = None,
    project: str | None = None,
    location: str | None = None,
    api_version: str | None = None,
    base_url: str | None = None,
) -> Endpoint:
    return resolve_endpoint(
        api_key=api_key,
        vertexai=vertexai,
        project=project,
        location=location,
        api_version=api_version,
        base_url=base_url,
        environ=environ if environ is not None else {},
    )


# -- Gemini Developer API ----------------------------------------------------------------------


def test_gemini_key_from_argument() -> None:
    e = resolve({"GOOGLE_API_KEY": "env-key"}, api_key="arg-key")
    assert e.is_vertex is False
    assert e.api_key == "arg-key"
    assert e.base_url == "https://generativelanguage.googleapis.com/"
    assert e.api_version == "v1beta"
    assert e.project is None and e.location is None
    assert e.is_express is False


def test_google_api_key_preferred_over_gemini_api_key() -> None:
    e = resolve({"GOOGLE_API_KEY": "google", "GEMINI_API_KEY": "gemini"})
    assert e.api_key == "google"


def test_gemini_api_key_used_alone() -> None:
    assert resolve({"GEMINI_API_KEY": "gemini"}).api_key == "gemini"


def test_empty_google_api_key_falls_back_to_gemini_api_key() -> None:
    assert resolve({"GOOGLE_API_KEY": "", "GEMINI_API_KEY": "gemini"}).api_key == "gemini"


def test_missing_key_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(genai_min.ConfigError, match="GOOGLE_API_KEY"):
        resolve({})


def test_config_error_is_also_a_value_error() -> None:
    with pytest.raises(ValueError, match="API key"):
        resolve({})


@pytest.mark.parametrize(("project", "location"), [("p", None), (None, "us-central1"), ("p", "l")])
def test_project_or_location_without_vertexai_is_rejected(project: str | None, location: str | None) -> None:
    with pytest.raises(genai_min.ConfigError, match="vertexai=True"):
        resolve(api_key="k", project=project, location=location)


def test_vertexai_false_ignores_vertex_environment() -> None:
    env = {
        "GOOGLE_GENAI_USE_VERTEXAI": "true",
        "GOOGLE_CLOUD_PROJECT": "env-project",
        "GOOGLE_CLOUD_LOCATION": "europe-west4",
        "GOOGLE_API_KEY": "k",
    }
    e = resolve(env, vertexai=False)
    assert e.is_vertex is False
    assert e.project is None and e.location is None
    assert e.base_url == "https://generativelanguage.googleapis.com/"


# -- Vertex AI: hosts ----------------------------------------------------------------------------


def test_vertex_regional_host() -> None:
    e = resolve(vertexai=True, project="p", location="us-central1")
    assert e.is_vertex is True
    assert e.base_url == "https://us-central1-aiplatform.googleapis.com/"
    assert (e.project, e.location, e.api_key) == ("p", "us-central1", None)
    assert e.is_express is False


def test_vertex_global_host() -> None:
    e = resolve(vertexai=True, project="p", location="global")
    assert e.base_url == "https://aiplatform.googleapis.com/"


@pytest.mark.parametrize("location", ["us", "eu"])
def test_vertex_multi_region_host(location: str) -> None:
    e = resolve(vertexai=True, project="p", location=location)
    assert e.base_url == f"https://aiplatform.{location}.rep.googleapis.com/"


def test_vertex_default_location_is_global() -> None:
    e = resolve(vertexai=True, project="p")
    assert e.location == "global"
    assert e.base_url == "https://aiplatform.googleapis.com/"


def test_vertex_without_project_leaves_it_for_later() -> None:
    e = resolve(vertexai=True, location="europe-west4")
    assert e.project is None
    assert e.is_express is False
    assert e.base_url == "https://europe-west4-aiplatform.googleapis.com/"


@pytest.mark.parametrize("flag", ["true", "True", "1", "yes", "on", " TRUE "])
def test_vertex_from_environment(flag: str) -> None:
    env = {
        "GOOGLE_GENAI_USE_VERTEXAI": flag,
        "GOOGLE_CLOUD_PROJECT": "env-project",
        "GOOGLE_CLOUD_LOCATION": "europe-west4",
    }
    e = resolve(env)
    assert e.is_vertex is True
    assert (e.project, e.location) == ("env-project", "europe-west4")
    assert e.base_url == "https://europe-west4-aiplatform.googleapis.com/"
    assert e.api_version == "v1beta1"


@pytest.mark.parametrize("flag", ["false", "0", "", "no"])
def test_vertex_flag_off_in_environment_means_gemini(flag: str) -> None:
    e = resolve({"GOOGLE_GENAI_USE_VERTEXAI": flag, "GOOGLE_API_KEY": "k"})
    assert e.is_vertex is False


def test_vertex_arguments_win_over_environment() -> None:
    env = {"GOOGLE_CLOUD_PROJECT": "env-project", "GOOGLE_CLOUD_LOCATION": "europe-west4"}
    e = resolve(env, vertexai=True, project="arg-project", location="us-east1")
    assert (e.project, e.location) == ("arg-project", "us-east1")
    assert e.base_url == "https://us-east1-aiplatform.googleapis.com/"


def test_vertex_project_in_environment_wins_over_env_api_key() -> None:
    env = {"GOOGLE_CLOUD_PROJECT": "env-project", "GOOGLE_API_KEY": "env-key"}
    e = resolve(env, vertexai=True)
    assert e.is_express is False
    assert e.api_key is None
    assert e.project == "env-project"


# -- Vertex AI: express mode ---------------------------------------------------------------------


def test_express_mode_with_api_key() -> None:
    e = resolve(vertexai=True, api_key="express-key")
    assert e.is_vertex is True
    assert e.is_express is True
    assert e.api_key == "express-key"
    assert e.base_url == "https://aiplatform.googleapis.com/"
    assert e.project is None
    url = e.versioned_url("POST", "publishers/google/models/gemini-2.0-flash-001:generateContent")
    assert url == (
        "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.0-flash-001:generateContent"
    )
    assert "projects/" not in e.versioned_url("GET", "cachedContents")


def test_express_mode_from_environment_key() -> None:
    e = resolve({"GOOGLE_GENAI_USE_VERTEXAI": "true", "GOOGLE_API_KEY": "env-key"})
    assert e.is_express is True
    assert e.api_key == "env-key"


@pytest.mark.parametrize(("project", "location"), [("p", None), (None, "us-central1"), ("p", "l")])
def test_api_key_with_project_or_location_is_rejected(project: str | None, location: str | None) -> None:
    with pytest.raises(genai_min.ConfigError, match="express"):
        resolve(vertexai=True, api_key="k", project=project, location=location)


# -- API versions --------------------------------------------------------------------------------


def test_default_versions() -> None:
    assert resolve(api_key="k").api_version == "v1beta"
    assert resolve(vertexai=True, project="p", location="l").api_version == "v1beta1"


def test_explicit_version_wins_over_environment() -> None:
    env = {"GOOGLE_GENAI_API_VERSION": "v1alpha"}
    assert resolve(env, api_key="k", api_version="v1").api_version == "v1"
    assert resolve(env, vertexai=True, project="p", api_version="v1").api_version == "v1"


def test_version_from_environment() -> None:
    env = {"GOOGLE_GENAI_API_VERSION": "v1alpha"}
    assert resolve(env, api_key="k").api_version == "v1alpha"
    assert resolve(env, vertexai=True, project="p").api_version == "v1alpha"


def test_beta_alias_means_each_backends_beta() -> None:
    env = {"GOOGLE_GENAI_API_VERSION": "beta"}
    assert resolve(env, api_key="k").api_version == "v1beta"
    assert resolve(env, vertexai=True, project="p").api_version == "v1beta1"
    assert resolve(env, vertexai=True, api_key="k").api_version == "v1beta1"


def test_explicit_beta_alias() -> None:
    assert resolve(api_key="k", api_version="beta").api_version == "v1beta"
    assert resolve(vertexai=True, project="p", api_version="beta").api_version == "v1beta1"


def test_version_appears_in_url() -> None:
    e = resolve(api_key="k", api_version="v1")
    assert e.versioned_url("GET", "models") == "https://generativelanguage.googleapis.com/v1/models"


# -- base URL overrides --------------------------------------------------------------------------


def test_gemini_base_url_argument_gets_trailing_slash() -> None:
    e = resolve(
        {"GOOGLE_GEMINI_BASE_URL": "http://env.invalid"}, api_key="k", base_url="http://127.0.0.1:8080"
    )
    assert e.base_url == "http://127.0.0.1:8080/"
    assert e.versioned_url("GET", "models") == "http://127.0.0.1:8080/v1beta/models"


def test_gemini_base_url_from_environment() -> None:
    env = {
        "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9000/proxy",
        "GOOGLE_VERTEX_BASE_URL": "http://v.invalid/",
    }
    e = resolve(env, api_key="k")
    assert e.base_url == "http://127.0.0.1:9000/proxy/"


def test_slash_not_doubled() -> None:
    assert resolve(api_key="k", base_url="http://127.0.0.1:1/").base_url == "http://127.0.0.1:1/"


def test_vertex_base_url_argument() -> None:
    env = {"GOOGLE_VERTEX_BASE_URL": "http://env.invalid"}
    e = resolve(env, vertexai=True, project="p", location="us-central1", base_url="http://127.0.0.1:8080")
    assert e.base_url == "http://127.0.0.1:8080/"
    assert e.location == "us-central1"


def test_vertex_base_url_from_environment() -> None:
    env = {"GOOGLE_VERTEX_BASE_URL": "http://127.0.0.1:9000", "GOOGLE_GEMINI_BASE_URL": "http://g.invalid/"}
    assert resolve(env, vertexai=True, project="p", location="l").base_url == "http://127.0.0.1:9000/"
    assert resolve(env, vertexai=True, api_key="k").base_url == "http://127.0.0.1:9000/"


# -- versioned_url -------------------------------------------------------------------------------


@pytest.fixture
def vertex() -> Endpoint:
    return resolve(vertexai=True, project="p", location="us-central1")


def test_gemini_url_has_no_prefix() -> None:
    e = resolve(api_key="k")
    url = e.versioned_url("POST", "models/gemini-2.0-flash-001:generateContent")
    assert (
        url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
    )


def test_vertex_inserts_project_and_location(vertex: Endpoint) -> None:
    assert vertex.versioned_url("GET", "cachedContents/c1", project="p") == (
        "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/cachedContents/c1"
    )


def test_vertex_prefix_uses_the_given_project(vertex: Endpoint) -> None:
    url = vertex.versioned_url("GET", "tuningJobs", project="adc-project")
    assert url.endswith("/v1beta1/projects/adc-project/locations/us-central1/tuningJobs")


def test_vertex_path_already_under_projects_is_kept(vertex: Endpoint) -> None:
    path = "projects/other/locations/europe-west4/endpoints/123:generateContent"
    assert vertex.versioned_url("POST", path, project="p") == (
        f"https://us-central1-aiplatform.googleapis.com/v1beta1/{path}"
    )


def test_vertex_get_of_publisher_model_is_global(vertex: Endpoint) -> None:
    url = vertex.versioned_url("GET", "publishers/google/models/gemini-2.0-flash-001", project="p")
    assert (
        url
        == "https://us-central1-aiplatform.googleapis.com/v1beta1/publishers/google/models/gemini-2.0-flash-001"
    )


def test_vertex_post_to_publisher_model_is_prefixed(vertex: Endpoint) -> None:
    url = vertex.versioned_url(
        "POST", "publishers/google/models/gemini-2.0-flash-001:generateContent", project="p"
    )
    assert url == (
        "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/"
        "publishers/google/models/gemini-2.0-flash-001:generateContent"
    )


def test_vertex_prefix_defaults_to_the_endpoints_project(vertex: Endpoint) -> None:
    url = vertex.versioned_url("POST", "publishers/google/models/m:generateContent")
    assert "/projects/p/locations/us-central1/" in url


def test_upload_prefix_gemini() -> None:
    e = resolve(api_key="k")
    assert e.versioned_url("POST", "files", is_upload=True) == (
        "https://generativelanguage.googleapis.com/upload/v1beta/files"
    )
    assert e.versioned_url("POST", "files") == "https://generativelanguage.googleapis.com/v1beta/files"


def test_upload_prefix_vertex(vertex: Endpoint) -> None:
    assert vertex.versioned_url("POST", "ragCorpora", is_upload=True, project="p") == (
        "https://us-central1-aiplatform.googleapis.com/upload/v1beta1/projects/p/locations/us-central1/ragCorpora"
    )


# -- mixing arguments and environment ------------------------------------------------------------


def test_project_argument_combines_with_location_from_environment() -> None:
    e = resolve({"GOOGLE_CLOUD_LOCATION": "europe-west4"}, vertexai=True, project="arg-project")
    assert (e.project, e.location) == ("arg-project", "europe-west4")
    assert e.base_url == "https://europe-west4-aiplatform.googleapis.com/"


def test_location_argument_combines_with_project_from_environment() -> None:
    e = resolve({"GOOGLE_CLOUD_PROJECT": "env-project"}, vertexai=True, location="us-central1")
    assert (e.project, e.location) == ("env-project", "us-central1")
