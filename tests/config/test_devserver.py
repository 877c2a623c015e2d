"""make run's processes: quiet, and the demo's emails go to files so the final block stays last on the terminal."""

import environ

from config.devserver import demo_environment


def test_demo_emails_go_to_files_in_the_var_dir_and_output_is_unbuffered(tmp_path):
    env = demo_environment({"PATH": "/usr/bin"}, tmp_path)

    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"] == "/usr/bin"
    email = environ.Env.email_url_config(env["EMAIL_URL"])
    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert email["EMAIL_FILE_PATH"] == str(tmp_path.resolve() / "outbox" / "email")


def test_an_email_url_the_operator_set_is_kept(tmp_path):
    env = demo_environment({"EMAIL_URL": "smtp://mail.example.org:25"}, tmp_path)

    assert env["EMAIL_URL"] == "smtp://mail.example.org:25"
