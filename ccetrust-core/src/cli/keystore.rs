//! `ccetrust keystore list|import|delete|rename|passwd|export|convert`: keytool's
//! operations on JKS, JCEKS, PKCS#12 and PEM keystores, with identity-based imports and
//! safe writes (the store's lock, temporary file, fsync, read back, a check that nobody
//! changed the store meanwhile, rename; mode, owner and links kept; a backup).
//!
//! Passwords come from `--storepass-env VAR`, `--storepass-file FILE`, or a prompt that
//! does not echo (when stdin is a terminal); `--storepass VALUE` is accepted as keytool's
//! habit, documented as visible to any local user in the process list. Key passwords the
//! same way with `--keypass-*`; by default the store password. `list` reads a JKS or JCEKS
//! without any password as `keytool -list` does (integrity not checked, said on stderr).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::{esc, out, print_json};

#[path = "genkeypair.rs"]
mod genkeypair;
use crate::keystore::{
    Format, ImportOutcome, ImportPolicy, Keystore, KeystoreError, Password, Pkcs12Profile,
    SaveOptions, SaveReport, StoreFile, WriteOptions,
};
use crate::report::keystore as view;
use crate::Error;

#[derive(Subcommand, Debug)]
pub(crate) enum KeystoreCommand {
    /// List entries like `keytool -list -v` (or as JSON).
    List(ListArgs),
    /// Import a trusted certificate (or each of a bundle / PKCS#7), or a key pair from
    /// PKCS#12 / PEM / JKS / JCEKS. Idempotent by certificate identity.
    Import(ImportArgs),
    /// Delete an entry.
    Delete(DeleteArgs),
    /// Rename an entry's alias.
    Rename(RenameArgs),
    /// Change the store password and/or key passwords.
    Passwd(PasswdArgs),
    /// Export an entry's certificate (or chain) as PEM or DER.
    Export(ExportArgs),
    /// Convert a keystore to another format, keeping every entry.
    Convert(ConvertArgs),
    /// Generate a key pair and a self-signed certificate (keytool -genkeypair), role rules applied.
    Genkeypair(genkeypair::GenkeypairArgs),
}

impl KeystoreCommand {
    pub fn json(&self) -> bool {
        match self {
            KeystoreCommand::List(a) => a.json,
            KeystoreCommand::Import(a) => a.json,
            KeystoreCommand::Delete(a) => a.json,
            KeystoreCommand::Rename(a) => a.json,
            KeystoreCommand::Passwd(a) => a.json,
            KeystoreCommand::Export(a) => a.json,
            KeystoreCommand::Convert(a) => a.json,
            KeystoreCommand::Genkeypair(a) => a.json(),
        }
    }
}

/// Where the store and key passwords come from.
#[derive(Args, Debug, Clone)]
pub(crate) struct PassArgs {
    /// The store password itself, as keytool's `-storepass`. Any local user can read it in
    /// the process list: prefer --storepass-env, --storepass-file or the prompt.
    #[arg(long, value_name = "PASSWORD", conflicts_with_all = ["storepass_env", "storepass_file"])]
    storepass: Option<String>,
    /// Read the store password from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "storepass_file")]
    storepass_env: Option<String>,
    /// Read the store password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    storepass_file: Option<PathBuf>,
    /// Read the key password from this environment variable (default: the store password).
    #[arg(long, value_name = "VAR", conflicts_with = "keypass_file")]
    keypass_env: Option<String>,
    /// Read the key password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    keypass_file: Option<PathBuf>,
}

impl PassArgs {
    fn store(&self) -> Result<Password, Error> {
        if let Some(v) = &self.storepass {
            return Ok(Password::from(v.as_str()));
        }
        password(
            self.storepass_env.as_deref(),
            self.storepass_file.as_deref(),
            "Keystore password: ",
            "--storepass-env, --storepass-file or --storepass",
        )
    }

    /// Whether a store password was given on the command line (in any of its three ways).
    fn store_given(&self) -> bool {
        self.storepass.is_some() || self.storepass_env.is_some() || self.storepass_file.is_some()
    }

    fn key(&self, store: &Password) -> Result<Password, Error> {
        if self.keypass_env.is_none() && self.keypass_file.is_none() {
            return Ok(store.clone());
        }
        password(
            self.keypass_env.as_deref(),
            self.keypass_file.as_deref(),
            "",
            "",
        )
    }
}

/// A password from an environment variable, a file, or a no-echo prompt.
fn password(
    env: Option<&str>,
    file: Option<&Path>,
    prompt: &str,
    flags: &str,
) -> Result<Password, Error> {
    if let Some(v) = env {
        return Ok(Password::from_env(v)?);
    }
    if let Some(f) = file {
        return Ok(Password::from_file(f)?);
    }
    if !std::io::stdin().is_terminal() {
        // Could not do it (exit 1, kind "password"), as a missing password is in the table.
        return Err(KeystoreError::Password(format!(
            "no password given and stdin is not a terminal: use {flags}"
        ))
        .into());
    }
    let text = rpassword::prompt_password(prompt)
        .map_err(|e| Error::Usage(format!("reading the password: {e}")))?;
    Ok(Password::from(text))
}

fn new_password(
    env: Option<&str>,
    file: Option<&Path>,
    what: &str,
    flags: &str,
) -> Result<Password, Error> {
    if env.is_some() || file.is_some() {
        return password(env, file, "", flags);
    }
    let first = password(None, None, &format!("New {what}: "), flags)?;
    let second = password(None, None, &format!("Re-enter new {what}: "), flags)?;
    if first != second {
        return Err(Error::Usage("the two passwords differ".into()));
    }
    Ok(first)
}

#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Accepted for keytool's habit (`keytool -list -v`): the text listing is always
    /// keytool's verbose form (every certificate, fingerprints, PKCS#12 friendly names).
    #[arg(short = 'v', long)]
    verbose: bool,
    /// PKCS#12: show the file's bags as stored (friendly names, local key IDs, JDK keytool's
    /// chain-certificate bags), not the entries keytool lists.
    #[arg(long)]
    all_bags: bool,
    #[command(flatten)]
    pass: PassArgs,
    /// The keystore (format detected from its content).
    keystore: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct WriteArgs {
    /// Do not keep a backup of the file being replaced.
    #[arg(long)]
    no_backup: bool,
    /// Replace the store even if it is read-only (no write permission, read-only
    /// attribute) or its owner cannot be kept (not running as its owner or root).
    #[arg(long)]
    force: bool,
    /// How long to wait for another ccetrust writer to release the store's lock.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    lock_timeout: u64,
    /// Write even with a password JDK keytool cannot use: a non-ASCII PKCS#12 password
    /// (keytool cannot open the file) or a new store password under 6 characters (keytool
    /// refuses to make one).
    #[arg(long)]
    allow_non_keytool_password: bool,
}

impl WriteArgs {
    /// Locks and reads the store for a read–modify–write.
    fn open(&self, path: &Path) -> Result<StoreFile, Error> {
        Ok(StoreFile::open(
            path,
            std::time::Duration::from_secs(self.lock_timeout),
        )?)
    }
}

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// Alias for the entry (a bundle's further certificates get ALIAS-2, ALIAS-3, …; a
    /// keystore source keeps its aliases unless it holds a single key).
    #[arg(long)]
    alias: Option<String>,
    /// Replace an entry whose alias holds a different certificate.
    #[arg(long)]
    replace: bool,
    /// Format of a keystore that does not exist yet (default: pkcs12, keytool's default).
    #[arg(long, value_name = "FORMAT")]
    storetype: Option<String>,
    /// Source keystore password, from this environment variable (default: the store password).
    #[arg(long, value_name = "VAR", conflicts_with = "srcstorepass_file")]
    srcstorepass_env: Option<String>,
    /// Source keystore password, from the first line of this file.
    #[arg(long, value_name = "FILE")]
    srcstorepass_file: Option<PathBuf>,
    /// The keystore to change (created if missing).
    keystore: PathBuf,
    /// Certificate (DER, PEM, PKCS#7, bundle) or key pair (PKCS#12, PEM key + chain, JKS, JCEKS).
    file: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct DeleteArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// The entry to delete.
    #[arg(long)]
    alias: String,
    /// The keystore.
    keystore: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct RenameArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// The entry to rename.
    #[arg(long)]
    alias: String,
    /// Its new alias.
    #[arg(long)]
    to: String,
    /// The keystore.
    keystore: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct PasswdArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// Change the store password.
    #[arg(long)]
    store: bool,
    /// New store password from this environment variable.
    #[arg(long, value_name = "VAR")]
    new_storepass_env: Option<String>,
    /// New store password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    new_storepass_file: Option<PathBuf>,
    /// Change the key password of this entry (with --key, every key entry).
    #[arg(long)]
    alias: Option<String>,
    /// Change key passwords.
    #[arg(long)]
    key: bool,
    /// New key password from this environment variable.
    #[arg(long, value_name = "VAR")]
    new_keypass_env: Option<String>,
    /// New key password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    new_keypass_file: Option<PathBuf>,
    /// The keystore.
    keystore: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct ExportArgs {
    /// Print JSON: the alias and each certificate's subject, SHA-256 and PEM (with `--out`,
    /// the file is written as asked and the JSON names it).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    /// The entry whose certificate to export.
    #[arg(long)]
    alias: String,
    /// The whole chain of a key entry, not only its certificate.
    #[arg(long)]
    chain: bool,
    /// DER instead of PEM (one certificate only).
    #[arg(long, conflicts_with = "chain")]
    der: bool,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// The keystore.
    keystore: PathBuf,
}

#[derive(Args, Debug)]
pub(crate) struct ConvertArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pass: PassArgs,
    #[command(flatten)]
    write: WriteArgs,
    /// Target format: jks, jceks, pkcs12 or pem.
    #[arg(long)]
    to: String,
    /// PKCS#12 target: legacy algorithms (3DES/RC2-40, SHA-1 MAC) for Windows 2016 and older.
    #[arg(long)]
    legacy: bool,
    /// Target store password from this environment variable (default: the source's).
    #[arg(long, value_name = "VAR", conflicts_with = "dest_storepass_file")]
    dest_storepass_env: Option<String>,
    /// Target store password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    dest_storepass_file: Option<PathBuf>,
    /// Source keystore.
    src: PathBuf,
    /// Target file (replaced safely if it exists, with a backup).
    dst: PathBuf,
}

pub(crate) fn run(cmd: &KeystoreCommand) -> Result<(), Error> {
    match cmd {
        KeystoreCommand::List(a) => list(a),
        KeystoreCommand::Import(a) => import(a),
        KeystoreCommand::Delete(a) => delete(a),
        KeystoreCommand::Rename(a) => rename(a),
        KeystoreCommand::Passwd(a) => passwd(a),
        KeystoreCommand::Export(a) => export(a),
        KeystoreCommand::Convert(a) => convert(a),
        KeystoreCommand::Genkeypair(a) => genkeypair::genkeypair(a),
    }
}

fn in_file(path: &Path) -> impl Fn(KeystoreError) -> Error + '_ {
    move |e| Error::from(e).in_file(path)
}

fn open(path: &Path, pw: &Password) -> Result<Keystore, Error> {
    Keystore::load(path, pw).map_err(in_file(path))
}

/// The keystore of a store opened for writing; an error if there was no file.
fn load(file: &StoreFile, pw: &Password) -> Result<Keystore, Error> {
    file.load_existing(pw).map_err(|e| match e {
        e @ KeystoreError::Io { .. } => Error::from(e),
        e => Error::from(e).in_file(file.path()),
    })
}

fn save_opts(w: &WriteArgs, key_password: Option<Password>) -> SaveOptions {
    SaveOptions {
        write: WriteOptions {
            key_password,
            allow_non_keytool_password: w.allow_non_keytool_password,
            ..Default::default()
        },
        backup: !w.no_backup,
        force: w.force,
        lock_timeout: std::time::Duration::from_secs(w.lock_timeout),
        ..SaveOptions::default()
    }
}

/// The store of `keystore list`: with its password when one is given (or typed at the
/// prompt); a JKS or JCEKS without one, as `keytool -list` reads it (`None`: integrity not
/// checked, keys not unlocked).
fn open_for_list(a: &ListArgs) -> Result<(Keystore, Option<Password>), Error> {
    let path = &a.keystore;
    let bytes = crate::error::read_file_as(path, crate::input::InputKind::Keystore)?;
    let format = crate::keystore::detect(&bytes).map_err(in_file(path))?;
    let java = matches!(format, Format::Jks | Format::Jceks);
    let store = if a.pass.store_given() || !java {
        Some(a.pass.store()?)
    } else if std::io::stdin().is_terminal() {
        // keytool prompts, and an empty answer lists without checking.
        let text = rpassword::prompt_password(
            "Keystore password (Enter to list without checking integrity): ",
        )
        .map_err(|e| Error::Usage(format!("reading the password: {e}")))?;
        (!text.is_empty()).then(|| Password::from(text))
    } else {
        None
    };
    match store {
        Some(pw) => Ok((open(path, &pw)?, Some(pw))),
        None => {
            eprintln!(
                "ccetrust: warning: {}: read without its store password, so its integrity was not checked",
                esc(&path.display().to_string())
            );
            let ks = Keystore::from_bytes_unverified(&bytes).map_err(in_file(path))?;
            Ok((ks, None))
        }
    }
}

fn list(a: &ListArgs) -> Result<(), Error> {
    if a.all_bags {
        return list_bags(a);
    }
    let (mut ks, store) = open_for_list(a)?;
    let failed = match &store {
        Some(pw) => {
            let key_pw = a.pass.key(pw)?;
            ks.unlock_keys(&key_pw)
        }
        None => Vec::new(),
    };
    if a.json {
        print_json(&view::listing_json(&ks, store.is_some()));
    } else {
        out(&view::listing_text(&ks, &failed));
    }
    Ok(())
}

/// `list --all-bags`: a PKCS#12 file's bags as stored, before they are grouped into entries.
fn list_bags(a: &ListArgs) -> Result<(), Error> {
    let bytes = crate::error::read_file_as(&a.keystore, crate::input::InputKind::Keystore)?;
    let pw = a.pass.store()?;
    let bags = Keystore::pkcs12_bags(&bytes, &pw).map_err(in_file(&a.keystore))?;
    if a.json {
        print_json(&view::bags_json(&bags));
    } else {
        out(&view::bags_text(&bags));
    }
    Ok(())
}

fn outcome_text(o: &ImportOutcome) -> String {
    let text = match o {
        ImportOutcome::Added {
            alias,
            requested: Some(r),
        } => format!("added '{alias}' (asked for '{r}': stored lower-case)"),
        ImportOutcome::Added {
            alias,
            requested: None,
        } => format!("added '{alias}'"),
        ImportOutcome::AlreadyPresent { alias, existing }
            if alias.eq_ignore_ascii_case(existing) =>
        {
            format!("'{alias}': already present, nothing to do")
        }
        ImportOutcome::AlreadyPresent { alias, existing } => {
            format!("'{alias}': the same certificate is already present as '{existing}', not imported twice")
        }
        ImportOutcome::Replaced {
            alias,
            previous_sha256,
        } => format!("replaced '{alias}' (was SHA-256 {previous_sha256})"),
    };
    // Aliases come from the store or the command line: shown, never sent raw.
    esc(&text).into_owned()
}

fn report_write(
    json_out: bool,
    path: &Path,
    format: Format,
    changed: bool,
    report: Option<&SaveReport>,
    extra: Value,
) {
    if json_out {
        let mut v = json!({
            "keystore": path.display().to_string(),
            "format": format.to_string(),
            "changed": changed,
            "backup": report.and_then(|r| r.backup.as_ref()).map(|b| b.display().to_string()),
        });
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        print_json(&v);
    } else if let Some(r) = report {
        match &r.backup {
            Some(b) => eprintln!(
                "wrote {} (backup: {})",
                esc(&r.path.display().to_string()),
                esc(&b.display().to_string())
            ),
            None => eprintln!("wrote {}", esc(&r.path.display().to_string())),
        }
    } else {
        eprintln!("{}: unchanged", esc(&path.display().to_string()));
    }
}

fn import(a: &ImportArgs) -> Result<(), Error> {
    let store = a.pass.store()?;
    let key_pw = a.pass.key(&store)?;
    let file = a.write.open(&a.keystore)?;
    let mut ks = match file.load(&store).map_err(in_file(&a.keystore))? {
        Some(ks) => ks,
        None => Keystore::new(a.storetype.as_deref().unwrap_or("pkcs12").parse()?),
    };
    let policy = if a.replace {
        ImportPolicy::Replace
    } else {
        ImportPolicy::Refuse
    };
    // A certificate, a key or a whole keystore: the keystore limit.
    let bytes = crate::error::read_file_as(&a.file, crate::input::InputKind::Keystore)?;
    let src_format = crate::keystore::detect(&bytes).ok();
    let is_keystore_source = match src_format {
        Some(Format::Jks | Format::Jceks | Format::Pkcs12) => true,
        Some(Format::Pem) => String::from_utf8_lossy(&bytes).contains("PRIVATE KEY-----"),
        _ => false,
    };
    let outcomes = if is_keystore_source {
        let src_pw = if a.srcstorepass_env.is_some() || a.srcstorepass_file.is_some() {
            password(
                a.srcstorepass_env.as_deref(),
                a.srcstorepass_file.as_deref(),
                "",
                "",
            )?
        } else {
            store.clone()
        };
        let mut src = Keystore::from_bytes(&bytes, &src_pw).map_err(in_file(&a.file))?;
        src.unlock_keys(&src_pw);
        ks.import_keystore(src, a.alias.as_deref(), policy)
            .map_err(|e| match e {
                locked @ KeystoreError::Locked { .. } => Error::from(locked).in_file(&a.file),
                other => Error::from(other),
            })?
    } else {
        let certs =
            crate::cert::load_certificates(&bytes).map_err(|e| Error::from(e).in_file(&a.file))?;
        let Some(alias) = &a.alias else {
            return Err(Error::Usage(
                "--alias is required to import certificates".into(),
            ));
        };
        ks.import_trusted_bundle(alias, certs, policy)?
    };
    let changed = outcomes.iter().any(ImportOutcome::changed);
    let report = if changed {
        Some(file.save(&ks, &store, &save_opts(&a.write, Some(key_pw)))?)
    } else {
        None
    };
    if !a.json {
        for o in &outcomes {
            out(&format!("{}\n", outcome_text(o)));
        }
    }
    report_write(
        a.json,
        &a.keystore,
        ks.format,
        changed,
        report.as_ref(),
        json!({"outcomes": outcomes.iter().map(view::import_outcome_json).collect::<Vec<_>>()}),
    );
    Ok(())
}

fn delete(a: &DeleteArgs) -> Result<(), Error> {
    let store = a.pass.store()?;
    let file = a.write.open(&a.keystore)?;
    let mut ks = load(&file, &store)?;
    let removed = ks.delete(&a.alias)?;
    let report = file.save(&ks, &store, &save_opts(&a.write, None))?;
    if !a.json {
        out(&format!(
            "deleted '{}' ({})\n",
            esc(&removed.alias),
            removed.kind.keytool_name()
        ));
    }
    report_write(
        a.json,
        &a.keystore,
        ks.format,
        true,
        Some(&report),
        json!({"deleted": removed.alias}),
    );
    Ok(())
}

fn rename(a: &RenameArgs) -> Result<(), Error> {
    let store = a.pass.store()?;
    let file = a.write.open(&a.keystore)?;
    let mut ks = load(&file, &store)?;
    let from = ks
        .entry(&a.alias)
        .map(|e| e.alias.clone())
        .unwrap_or_default();
    ks.rename(&a.alias, &a.to)?;
    // The alias as stored (JKS and JCEKS lower-case it: `Tomcat` is stored `tomcat`).
    let to = ks
        .entry(&a.to)
        .map(|e| e.alias.clone())
        .unwrap_or_else(|| a.to.clone());
    let report = file.save(&ks, &store, &save_opts(&a.write, None))?;
    if !a.json {
        let asked = if to == a.to {
            String::new()
        } else {
            format!(" (asked for '{}': stored lower-case)", a.to)
        };
        out(&format!(
            "{}\n",
            esc(&format!("renamed '{from}' to '{to}'{asked}"))
        ));
    }
    report_write(
        a.json,
        &a.keystore,
        ks.format,
        true,
        Some(&report),
        json!({"from": from, "to": to, "requested_to": a.to}),
    );
    Ok(())
}

fn passwd(a: &PasswdArgs) -> Result<(), Error> {
    let change_store = a.store || a.new_storepass_env.is_some() || a.new_storepass_file.is_some();
    let change_key =
        a.key || a.alias.is_some() || a.new_keypass_env.is_some() || a.new_keypass_file.is_some();
    if !change_store && !change_key {
        return Err(Error::Usage(
            "nothing to change: give --store and/or --key (or --alias)".into(),
        ));
    }
    let store = a.pass.store()?;
    let key_pw = a.pass.key(&store)?;
    let file = a.write.open(&a.keystore)?;
    let mut ks = load(&file, &store)?;
    let new_store = if change_store {
        new_password(
            a.new_storepass_env.as_deref(),
            a.new_storepass_file.as_deref(),
            "keystore password",
            "--new-storepass-env or --new-storepass-file",
        )?
    } else {
        store.clone()
    };
    let mut new_key = None;
    let mut keys_changed = 0;
    if change_key {
        if ks.format == Format::Pkcs12 {
            return Err(Error::Usage(
                "PKCS#12 keys are protected with the store password (keytool cannot read others): change the store password instead".into(),
            ));
        }
        let nk = new_password(
            a.new_keypass_env.as_deref(),
            a.new_keypass_file.as_deref(),
            "key password",
            "--new-keypass-env or --new-keypass-file",
        )?;
        keys_changed = ks.change_key_password(a.alias.as_deref(), &key_pw)?;
        new_key = Some(nk);
    }
    if change_store && matches!(ks.format, Format::Pkcs12 | Format::Pem) {
        // PKCS#12 keys follow the store password; PEM has only key passwords.
        keys_changed += ks.change_key_password(None, &key_pw)?;
        new_key = Some(new_store.clone());
    }
    let report = file.save(&ks, &new_store, &save_opts(&a.write, new_key))?;
    if !a.json {
        out(&format!(
            "{}{} key password(s) changed\n",
            if change_store {
                "store password changed; "
            } else {
                ""
            },
            keys_changed
        ));
    }
    report_write(
        a.json,
        &a.keystore,
        ks.format,
        true,
        Some(&report),
        json!({"store_password_changed": change_store, "key_passwords_changed": keys_changed}),
    );
    Ok(())
}

fn export(a: &ExportArgs) -> Result<(), Error> {
    let store = a.pass.store()?;
    let ks = open(&a.keystore, &store)?;
    let e = ks.entry(&a.alias).ok_or_else(|| KeystoreError::Alias {
        alias: a.alias.clone(),
        detail: "no such entry".into(),
    })?;
    let certs = if a.chain {
        e.certificates()
    } else {
        &e.certificates()[..e.certificates().len().min(1)]
    };
    if certs.is_empty() {
        return Err(Error::Usage(format!(
            "'{}' has no certificate to export",
            e.alias
        )));
    }
    let bytes: Vec<u8> = if a.der {
        certs[0].der().to_vec()
    } else {
        certs
            .iter()
            .map(|c| c.to_pem())
            .collect::<String>()
            .into_bytes()
    };
    if let Some(p) = &a.out {
        std::fs::write(p, &bytes).map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
    }
    if a.json {
        print_json(&json!({
            "alias": e.alias,
            "out": a.out.as_ref().map(|p| p.display().to_string()),
            "certificates": certs.iter().map(|c| {
                let mut v = view::certificate_json(c);
                v["pem"] = Value::from(c.to_pem());
                v
            }).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    match &a.out {
        Some(_) => {}
        None => {
            use std::io::Write;
            let mut so = std::io::stdout().lock();
            let _ = so.write_all(&bytes).and_then(|_| so.flush());
        }
    }
    Ok(())
}

fn convert(a: &ConvertArgs) -> Result<(), Error> {
    let to: Format = a.to.parse()?;
    let store = a.pass.store()?;
    let key_pw = a.pass.key(&store)?;
    let mut ks = open(&a.src, &store)?;
    let failed = ks.unlock_keys(&key_pw);
    if let Some((alias, err)) = failed.into_iter().next() {
        return Err(Error::from(err).in_file(format!("{} ({alias})", a.src.display())));
    }
    let converted = ks.convert(to)?;
    let dest_pw = if a.dest_storepass_env.is_some() || a.dest_storepass_file.is_some() {
        password(
            a.dest_storepass_env.as_deref(),
            a.dest_storepass_file.as_deref(),
            "",
            "",
        )?
    } else {
        store.clone()
    };
    let mut opts = save_opts(&a.write, Some(dest_pw.clone()));
    opts.allow_format_change = true;
    if a.legacy {
        opts.write.pkcs12 = Some(Pkcs12Profile::Legacy);
    }
    let report = a.write.open(&a.dst)?.save(&converted, &dest_pw, &opts)?;
    if !a.json {
        out(&format!(
            "converted {} ({}) to {} ({}), {} entries\n",
            esc(&a.src.display().to_string()),
            ks.format,
            esc(&a.dst.display().to_string()),
            to,
            converted.entries.len()
        ));
    }
    report_write(
        a.json,
        &a.dst,
        to,
        true,
        Some(&report),
        json!({"source": a.src.display().to_string(), "source_format": ks.format.to_string(), "entries": converted.entries.len()}),
    );
    Ok(())
}
