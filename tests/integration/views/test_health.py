"""The health check at /healthz, which a load balancer asks."""



from burden_tracker import create_app


def test_health_answers_200_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_health_answers_503_when_the_database_does_not(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    app.extensions["db_engine"].dispose()
