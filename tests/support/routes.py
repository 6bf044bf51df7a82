"""Who may use each route, and values for the arguments of the routes that take one: for the tests that ask
every route in the URL map."""

from burden_tracker.enums import Role

ROLES = ("anonymous", "staff", "board", "executive", "admin")
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF_AND_BOARD = {"staff", "board"}
BOARD = {"board"}
ADMIN = {"admin"}
REPORT_READERS = {"board", "executive", "admin"}

# (endpoint, method) -> the roles that may use it. Others get 403, or /login when not signed in.
MATRIX = {
    ("static", "GET"): EVERYONE,
    ("health.healthz", "GET"): EVERYONE,
    ("auth.login", "GET"): EVERYONE,
    ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): SIGNED_IN,
    ("sso.start", "GET"): EVERYONE,  # 404 unless single sign-on is configured
    ("sso.callback", "GET"): EVERYONE,
    ("index", "GET"): SIGNED_IN,
    ("browse.index", "GET"): SIGNED_IN,
    ("nominations.show", "GET"): SIGNED_IN,
    ("nominations.comment", "POST"): STAFF_AND_BOARD,
    ("nominations.support", "POST"): STAFF_AND_BOARD,
    ("nominations.withdraw", "POST"): STAFF_AND_BOARD,
    ("nominations.take_back_support", "POST"): STAFF_AND_BOARD,
    ("nominations.follow", "POST"): SIGNED_IN,
    ("nominations.edit_comment", "POST"): STAFF_AND_BOARD,
    ("nominations.hide_comment", "POST"): BOARD,
    ("attachments.add", "POST"): STAFF_AND_BOARD,
    ("attachments.file", "GET"): SIGNED_IN,  # a file not yet released: its uploader and the board (404 to others)
    ("attachments.release", "POST"): BOARD,
    ("attachments.remove", "POST"): STAFF_AND_BOARD,  # its uploader, or the board
    ("nominate.new", "GET"): STAFF_AND_BOARD,
    ("nominate.new", "POST"): STAFF_AND_BOARD,
    ("nominate.estimate", "GET"): STAFF_AND_BOARD,
    ("nominate.mentions", "GET"): STAFF_AND_BOARD,
    ("nominate.edit", "GET"): STAFF_AND_BOARD,
    ("nominate.edit", "POST"): STAFF_AND_BOARD,
    ("nominate.similar", "GET"): STAFF_AND_BOARD,
    ("nominate.support_similar", "POST"): STAFF_AND_BOARD,
    ("me.nominations", "GET"): STAFF_AND_BOARD,
    ("me.notices", "GET"): SIGNED_IN,
    ("me.mark_read", "POST"): SIGNED_IN,
    ("me.sessions", "GET"): SIGNED_IN,
    ("me.settings", "GET"): SIGNED_IN,
    ("me.settings", "POST"): SIGNED_IN,
    ("second_factor.code", "GET"): EVERYONE,
    ("second_factor.code", "POST"): EVERYONE,
    ("second_factor.enrol", "GET"): EVERYONE,
    ("second_factor.enrol", "POST"): EVERYONE,
    ("second_factor.shown_codes", "GET"): SIGNED_IN,
    ("second_factor.mine", "GET"): SIGNED_IN,
    ("second_factor.mine", "POST"): SIGNED_IN,
    ("second_factor.new_codes", "POST"): SIGNED_IN,
    ("second_factor.turn_off", "POST"): SIGNED_IN,
    ("reauth.confirm", "GET"): SIGNED_IN,
    ("reauth.confirm", "POST"): SIGNED_IN,
    ("passwords.change", "GET"): SIGNED_IN,
    ("passwords.change", "POST"): SIGNED_IN,
    ("passwords.forgot", "GET"): EVERYONE,
    ("passwords.forgot", "POST"): EVERYONE,
    ("passwords.reset", "GET"): EVERYONE,
    ("passwords.reset", "POST"): EVERYONE,
    ("me.end_session", "POST"): SIGNED_IN,
    ("me.end_other_sessions", "POST"): SIGNED_IN,
    ("board.queue", "GET"): BOARD,
    ("board.schedule", "POST"): BOARD,
    ("decide.evaluate", "POST"): BOARD,
    ("decide.retire", "POST"): BOARD,
    ("decide.reject", "POST"): BOARD,
    ("decide.reopen", "POST"): BOARD,
    ("decide.duplicate", "POST"): BOARD,
    ("decide.vote", "POST"): BOARD,
    ("decide.tally", "GET"): BOARD,
    ("decide.board_note", "POST"): BOARD,
    ("decide.redact_text", "POST"): BOARD,
    ("decide.revise", "POST"): BOARD,
    ("decide.candidates", "GET"): BOARD,
    ("wins.index", "GET"): SIGNED_IN,
    ("dashboard.index", "GET"): REPORT_READERS,
    ("reports.workbook", "GET"): REPORT_READERS,
    ("reports.under_way", "GET"): REPORT_READERS,
    ("reports.kept_file", "GET"): REPORT_READERS,
    ("browse.download", "GET"): SIGNED_IN,
    ("board.download", "GET"): BOARD,
    ("dashboard.close", "POST"): ADMIN,
    ("dashboard.reopen", "POST"): ADMIN,
    ("invite.accept", "GET"): EVERYONE,
    ("invite.accept", "POST"): EVERYONE,
    **{(f"admin.{endpoint}", method): ADMIN for endpoint, method in [
        ("index", "GET"), ("users", "GET"), ("user", "GET"), ("new_user", "GET"), ("new_user", "POST"),
        ("change_roles", "POST"), ("user_action", "POST"), ("named", "GET"), ("named", "POST"),
        ("named_item", "GET"), ("rename", "GET"), ("rename", "POST"), ("set_named_active", "POST"),
        ("move_department", "POST"), ("settings", "GET"), ("settings", "POST"), ("audit", "GET"),
    ]},
    ("sign_on_admin.mappings", "GET"): ADMIN,
    ("sign_on_admin.mappings", "POST"): ADMIN,
    ("sign_on_admin.unmap", "POST"): ADMIN,
    ("metrics_admin.index", "GET"): ADMIN,
    ("metrics_admin.index", "POST"): ADMIN,
    ("metrics_admin.remove_name", "POST"): ADMIN,
    ("metrics_admin.upload", "POST"): ADMIN,
    ("metrics_admin.add_department_name", "POST"): ADMIN,
    ("metrics_admin.remove_department_name", "POST"): ADMIN,
    ("metrics_admin.template", "GET"): ADMIN,
    ("jobs_admin.index", "GET"): ADMIN,
    ("jobs_admin.clear", "POST"): ADMIN,
    ("webhooks_admin.index", "GET"): ADMIN,
    ("webhooks_admin.add", "POST"): ADMIN,
    ("webhooks_admin.log", "GET"): ADMIN,
    ("webhooks_admin.pause", "POST"): ADMIN,
    ("webhooks_admin.resume", "POST"): ADMIN,
    ("webhooks_admin.remove", "POST"): ADMIN,
    ("tokens.index", "GET"): SIGNED_IN,
    ("tokens.create", "POST"): SIGNED_IN,
    ("tokens.renew", "POST"): SIGNED_IN,  # their own tokens only: another's is not found
    ("tokens.revoke", "POST"): SIGNED_IN,
    # The API's description is public; the rest answers a token only, and to a browser's cookie 401 whoever signed
    # in: tests/integration/views/test_api.py asks each operation with each role's token.
    ("api.openapi", "GET"): EVERYONE,
    ("api.docs", "GET"): EVERYONE,
    ("api.list_of_nominations", "GET"): EVERYONE,
    ("api.one_nomination", "GET"): EVERYONE,
    ("api.create_nomination", "POST"): EVERYONE,
    ("api.add_support", "POST"): EVERYONE,
    ("api.take_back_support", "DELETE"): EVERYONE,
    ("api.comments", "GET"): EVERYONE,
    ("api.quarter_figures", "GET"): EVERYONE,
    ("api.quarter_workbook", "GET"): EVERYONE,
    ("api.import_ehr_metrics", "POST"): EVERYONE,
    ("api.add_comment", "POST"): EVERYONE,
    **{(f"api.{decision}", "POST"): EVERYONE
       for decision in ("evaluate", "reopen", "retire", "reject", "duplicate", "vote", "revise")},
}
# Open to anyone, but only after the right password in the same browser: without it they lead to /login.
AFTER_PASSWORD = {"second_factor.code", "second_factor.enrol"}
ROLE_SETS = {"staff": (Role.STAFF,), "board": (Role.BOARD,), "executive": (Role.EXECUTIVE,),
             "admin": (Role.ADMIN,)}

# Values for the arguments of routes; each route takes the one it knows: harmless either way.
ARGUMENTS = {"filename": ["css/app.css"], "token": ["not-a-real-token"], "kind": ["departments"],
             "file_type": ["csv", "xlsx"], "comment_id": [1], "attachment_id": [1],
             "action": ["invite", "reactivate"], "token_id": [1], "endpoint_id": [1],
             "workbook_id": [1]}
