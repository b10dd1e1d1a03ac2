//! Review packets: one self-contained HTML file per version, and the review saved from it coming
//! back as one undoable edit, once, and only for the version it reviewed. (The packet in a real
//! browser is `tools/check-exports/review.mjs`.)

use std::path::Path;

use baton::Project;
use baton::review::{self, ReviewComment, ReviewFile, ReviewSignOff, Reviewer};

fn sample_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects/respiratory-network")
}

fn sample_file(dir: &tempfile::TempDir) -> Project {
    let model = baton::bundle::read_dir(&sample_dir()).unwrap();
    Project::create_with(&dir.path().join("p.baton"), "Respiratory care network", &model).unwrap()
}

/// The JSON the packet carries for its script.
fn packet_data(html: &str) -> serde_json::Value {
    let start = html.find(r#"<script type="application/json" id="packet-data">"#).unwrap();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

/// The review a reviewer saves from the packet of `version_id`: a comment on a step, a reply to
/// the consultant's comment (resolved), a comment on a state, and an approval.
fn review_of(p: &Project, version_id: &str, signoff: bool) -> ReviewFile {
    let html = review::packet(&p.model().unwrap(), version_id).unwrap();
    let data = packet_data(&html);
    let comment = |id: &str, kind: &str, target: &str, parent: Option<&str>, text: &str| ReviewComment {
        id: id.into(),
        target_kind: kind.into(),
        target_id: target.into(),
        parent_id: parent.map(str::to_string),
        author: "Dr. Amara Okafor (Medical director)".into(),
        text: text.into(),
        created_at: "2026-12-01T10:00:00Z".into(),
        resolved: false,
    };
    ReviewFile {
        format: "baton-review".into(),
        format_version: 1,
        project_id: data["project_id"].as_str().unwrap().into(),
        workflow_id: data["workflow_id"].as_str().unwrap().into(),
        workflow: data["workflow"].as_str().unwrap().into(),
        version_id: data["version_id"].as_str().unwrap().into(),
        version: data["version"].as_i64(),
        content_hash: data["content_hash"].as_str().unwrap().into(),
        content_scheme: data["content_scheme"].as_u64().unwrap() as u32,
        reviewed_version: data["reviewed_version"].clone(),
        reviewer: Reviewer { name: "Dr. Amara Okafor".into(), role: "Medical director".into() },
        comments: vec![
            comment(
                "rv-1",
                "step",
                "ra-reconcile",
                None,
                "At Lakeview the charge RN reconciles on evenings.",
            ),
            comment(
                "rv-2",
                "step",
                "ra-reconcile",
                Some("c-reconcile-owner"),
                "The unit coordinator escalates.",
            ),
        ],
        resolved: vec!["c-reconcile-owner".into()],
        signoff: signoff.then(|| ReviewSignOff {
            name: "Dr. Amara Okafor".into(),
            role: "Medical director".into(),
            signed_on: "2026-12-01".into(),
            decision: "approved".into(),
            comment: "Approved for all three facilities.".into(),
        }),
        saved_at: "2026-12-01T10:05:00Z".into(),
    }
}

#[test]
fn the_packet_is_one_file_that_asks_the_network_for_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = sample_file(&dir);
    let m = p.model().unwrap();
    let html = review::packet(&m, "ra-v2").unwrap();
    assert_eq!(html, review::packet(&m, "ra-v2").unwrap(), "the same version gives the same packet");
    // A strict policy: nothing from anywhere, the one script by its hash.
    let csp = html.split("Content-Security-Policy\" content=\"").nth(1).unwrap().split('"').next().unwrap();
    for rule in
        ["default-src 'none'", "connect-src 'none'", "font-src 'none'", "img-src data:", "form-action 'none'"]
    {
        assert!(csp.contains(rule), "{rule} missing from {csp}");
    }
    let script = html.rsplit("<script>").next().unwrap().split("</script>").next().unwrap();
    let hash = {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(script.as_bytes());
        let out = std::process::Command::new("base64")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write as _;
                c.stdin.take().unwrap().write_all(&digest)?;
                c.wait_with_output()
            })
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert!(csp.contains(&format!("script-src 'sha256-{hash}'")), "{csp}");
    // Nothing to fetch: no external script, style, image, font or link.
    for needle in [" src=", "<link", "@import", "url(", "http://", "https://"] {
        let hits: Vec<&str> =
            html.match_indices(needle).map(|(i, _)| &html[i.saturating_sub(40)..i + 40]).collect();
        // Namespaces and same-document references (`url(#arrow)`) fetch nothing.
        let real: Vec<&&str> =
            hits.iter().filter(|h| !h.contains("www.w3.org/") && !h.contains("url(#")).collect();
        assert!(real.is_empty(), "{needle}: {real:?}");
    }
    // What the lead reads.
    for text in [
        "Review: Respiratory assessment, version 2",
        "Today: the current state",
        "Proposed: Respiratory assessment, version 2",
        "Changes from Respiratory assessment, version 1",
        "Reconcile assessment with nursing care plan",
        "Open findings on Respiratory assessment",
        "Documentation Status = “Pending Review”",
        "Approve this version",
    ] {
        assert!(html.contains(&baton::xml::escape(text)), "{text}");
    }
    let data = packet_data(&html);
    assert_eq!(data["content_hash"], baton::design::content_hash(&m, "ra-v2"));
    assert!(data["current_nodes"].as_array().unwrap().iter().any(|n| n["id"] == "ra-reconcile"));
    assert!(data["proposed_nodes"].as_array().unwrap().iter().any(|n| n["id"] == "ra-v2-reconciled"));
    assert!(data["comments"].as_array().unwrap().iter().any(|c| c["id"] == "c-reconcile-owner"));
    assert_eq!(data["reviewed_version"]["format"], "baton-workflow");
    assert!(!data["phi"].as_array().unwrap().is_empty());
    // A draft's packet says it cannot be signed off yet.
    let draft =
        m.versions.iter().find(|v| v.workflow_id == "oxygen-titration" && v.number.is_none()).unwrap();
    let html = review::packet(&m, &draft.id).unwrap();
    assert!(html.contains("This is a draft") && !html.contains(r#"<form id="signoff-form""#));
}

#[test]
fn a_review_comes_in_once_as_one_undoable_edit_with_the_reviewer_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample_file(&dir);
    let review = review_of(&p, "ra-v2", true);
    let done = p.import_review(&review, "r.json").unwrap();
    assert_eq!((done.comments_added, done.comments_resolved, done.signed_off), (2, 1, true));
    let m = p.model().unwrap();
    let reply = m.comments.iter().find(|c| c.id == "rv-2").unwrap();
    assert_eq!(reply.parent_id.as_deref(), Some("c-reconcile-owner"));
    assert_eq!(reply.author_name, "Dr. Amara Okafor (Medical director)");
    assert!(m.comments.iter().find(|c| c.id == "c-reconcile-owner").unwrap().resolved);
    let signed = baton::design::signoffs(&m, "respiratory-assessment");
    let s = signed.iter().find(|s| s.version == "2").unwrap();
    assert_eq!((s.name.as_str(), s.role.as_str(), s.intact), ("Dr. Amara Okafor", "Medical director", true));
    let audit = p.audit().unwrap();
    assert!(
        audit[0].action == "review import"
            && audit[0].subject.starts_with("Dr. Amara Okafor (Medical director)")
    );
    // Again: nothing new.
    let again = p.import_review(&review, "r.json").unwrap();
    assert_eq!((again.comments_added, again.comments_resolved, again.signed_off), (0, 0, false));
    assert_eq!(p.model().unwrap(), m);
    // One edit: undo takes all of it back.
    p.undo().unwrap();
    let before = p.model().unwrap();
    assert!(!before.comments.iter().any(|c| c.id.starts_with("rv-")));
    assert!(!before.comments.iter().find(|c| c.id == "c-reconcile-owner").unwrap().resolved);
    assert!(!baton::design::signoffs(&before, "respiratory-assessment").iter().any(|s| s.version == "2"));
    // The bundle keeps the author and the reply.
    p.redo().unwrap();
    let files = baton::bundle::render(&p.model().unwrap()).unwrap();
    let comments = String::from_utf8(files["comments.yaml"].clone()).unwrap();
    assert!(
        comments.contains("author: Dr. Amara Okafor (Medical director)")
            && comments.contains("parent: c-reconcile-owner")
    );
}

#[test]
fn a_review_of_a_version_changed_since_is_refused_with_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample_file(&dir);
    let m = p.model().unwrap();
    let draft = m
        .versions
        .iter()
        .find(|v| v.workflow_id == "oxygen-titration" && v.number.is_none())
        .unwrap()
        .id
        .clone();
    let mut review = review_of(&p, &draft, false);
    let state = m
        .proposed_states
        .iter()
        .find(|s| s.version_id == draft && s.kind != baton::model::StateKind::Initial)
        .unwrap();
    review.comments = vec![ReviewComment {
        id: "rv-draft".into(),
        target_kind: "state".into(),
        target_id: state.id.clone(),
        parent_id: None,
        author: "Dr. Okafor".into(),
        text: "Who titrates at night?".into(),
        created_at: "2026-12-01T10:00:00Z".into(),
        resolved: false,
    }];
    review.resolved.clear();
    // The consultant changes a timer in the draft after sending the packet.
    let t =
        m.transitions.iter().find(|t| t.version_id == draft && t.owner_role_id.is_some()).unwrap().clone();
    let input = baton::design::TransitionInput {
        from_state_id: t.from_state_id.clone(),
        to_state_id: t.to_state_id.clone(),
        event: t.event.clone(),
        guard: t.guard.clone(),
        owner_role_id: t.owner_role_id.clone(),
        timer: "PT45M".into(),
        escalate_to_role_id: t.escalate_to_role_id.clone().or(t.owner_role_id.clone()),
        write_backs: t.write_backs.clone(),
        priority: t.priority,
        owner_at: t.overrides.clone(),
    };
    p.update_transition(&t.id, &input).unwrap();
    let before = p.model().unwrap();
    let e = p.import_review(&review, "lead.baton-review.json").unwrap_err().to_string();
    assert!(
        e.contains("lead.baton-review.json") && e.contains("has changed since the packet was written"),
        "{e}"
    );
    assert!(e.contains("timer") && e.contains("PT45M"), "{e}");
    assert_eq!(p.model().unwrap(), before, "a refused review changes nothing");
    // Before the change, the same review comes in; a sign-off of a draft is refused.
    p.undo().unwrap();
    assert_eq!(p.import_review(&review, "r.json").unwrap().comments_added, 1);
    let mut signed = review_of(&p, &draft, true);
    signed.comments.clear();
    signed.resolved.clear();
    let e = p.import_review(&signed, "r.json").unwrap_err().to_string();
    assert!(e.contains("a draft cannot be signed off"), "{e}");
}

#[test]
fn foreign_and_malformed_review_files_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = sample_file(&dir);
    let before = p.model().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (write("garbage.json", "{ not json"), "line 1"),
        (
            write("other.json", r#"{"format": "baton-workflow", "format_version": 2}"#),
            "\"format\" is not \"baton-review\"",
        ),
        (write("newer.json", r#"{"format": "baton-review", "format_version": 9}"#), "update Baton"),
        (write("binary.json", "\u{0}\u{1}PK"), "not a review file"),
    ];
    for (path, expected) in cases {
        let e = review::import_review_file(&mut p, &path).unwrap_err().to_string();
        assert!(e.contains(path.file_name().unwrap().to_str().unwrap()) && e.contains(expected), "{e}");
    }
    let mut foreign = review_of(&p, "ra-v2", true);
    foreign.project_id = "another-project".into();
    let e = p.import_review(&foreign, "f.json").unwrap_err().to_string();
    assert!(e.contains("in another project"), "{e}");
    let mut stray = review_of(&p, "ra-v2", false);
    stray.comments[0].target_id = "no-such-step".into();
    let e = p.import_review(&stray, "s.json").unwrap_err().to_string();
    assert!(e.contains("comments[0].target_id") && e.contains("no-such-step"), "{e}");
    let mut bad = review_of(&p, "ra-v2", true);
    bad.signoff.as_mut().unwrap().decision = "maybe".into();
    let e = p.import_review(&bad, "b.json").unwrap_err().to_string();
    assert!(e.contains("signoff.decision"), "{e}");
    // Far too big to be a review: refused before it is read whole.
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(review::MAX_REVIEW_BYTES + 10).unwrap();
    let e = review::import_review_file(&mut p, &big).unwrap_err().to_string();
    assert!(e.contains("larger than 16 MiB"), "{e}");
    assert_eq!(p.model().unwrap(), before);
}

#[test]
fn a_reply_in_a_bundle_names_a_comment_on_the_same_target() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b");
    let mut m = baton::bundle::read_dir(&sample_dir()).unwrap();
    let mut reply = m.comments[0].clone();
    reply.id = "c-reply".into();
    reply.parent_id = Some(m.comments[0].id.clone());
    reply.author_name = "Dr. Okafor".into();
    reply.author_role_id = None;
    reply.text = "Agreed.".into();
    reply.created_at = "2026-12-01T00:00:00Z".into();
    m.comments.push(reply);
    baton::bundle::write_bundle(&m, &b).unwrap();
    let back = baton::bundle::read_dir(&b).unwrap();
    let r = back.comments.iter().find(|c| c.id == "c-reply").unwrap();
    assert_eq!(
        (r.parent_id.as_deref(), r.author_name.as_str()),
        (Some(m.comments[0].id.as_str()), "Dr. Okafor")
    );
    let text = std::fs::read_to_string(b.join("comments.yaml")).unwrap();
    std::fs::write(
        b.join("comments.yaml"),
        text.replace(&format!("parent: {}", m.comments[0].id), "parent: nobody"),
    )
    .unwrap();
    let e = baton::bundle::read_dir(&b).unwrap_err().to_string();
    assert!(e.contains("comments.yaml") && e.contains(".parent") && e.contains("\"nobody\""), "{e}");
}
