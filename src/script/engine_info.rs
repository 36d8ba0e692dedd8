//! `db.engine`: which database the session's default bind is, as
//! Flask-SQLAlchemy's engine answers `db.engine.url` (the password masked),
//! `db.engine.name` and `db.engine.dialect.name`; each bind's by
//! `db.engines["key"]` (`db.engines[()]` the default one, Python's
//! `db.engines[None]`) and `db.get_engine("key")`. It runs no statements:
//! those go through `db.session` and `db.execute`.

use rhai::Engine;

use super::convert::RhaiResult;
use super::db::Db;

#[derive(Debug, Clone)]
pub struct EngineInfo {
    url: String,
    dialect: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct DialectInfo {
    name: &'static str,
}

/// `db.engines`: the engines by bind key, read from `db` when indexed.
#[derive(Clone)]
pub struct EngineMap(Db);

/// The engine of bind `key` (`None`: the default database).
fn engine_of(db: &mut Db, key: Option<&str>) -> RhaiResult<EngineInfo> {
    let s = db.shared()?;
    let e = s
        .session
        .engines()
        .get(key)
        .map_err(super::convert::rhai_error)?;
    Ok(EngineInfo {
        url: e.url().to_string(),
        dialect: e.dialect().name(),
    })
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<EngineInfo>("Engine");
    engine.register_type_with_name::<DialectInfo>("Dialect");
    engine.register_type_with_name::<EngineMap>("Engines");
    engine.register_get("engine", |db: &mut Db| engine_of(db, None));
    engine.register_get("engines", |db: &mut Db| EngineMap(db.clone()));
    engine.register_indexer_get(|m: &mut EngineMap, key: &str| engine_of(&mut m.0, Some(key)));
    engine.register_indexer_get(|m: &mut EngineMap, key: ()| {
        let () = key;
        engine_of(&mut m.0, None)
    });
    engine.register_fn("keys", |m: &mut EngineMap| -> RhaiResult<rhai::Array> {
        let s = m.0.shared()?;
        Ok(s.session
            .engines()
            .all()
            .map(|(k, _)| k.map_or(rhai::Dynamic::UNIT, |k| k.into()))
            .collect())
    });
    engine.register_fn("get_engine", |db: &mut Db| engine_of(db, None));
    engine.register_fn("get_engine", |db: &mut Db, key: &str| {
        engine_of(db, Some(key))
    });
    engine.register_fn("get_engine", |db: &mut Db, key: ()| {
        let () = key;
        engine_of(db, None)
    });
    // As Python prints the dict: `{None: Engine(sqlite:///app.db), 'a': Engine(..)}`.
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |m: &mut EngineMap| -> RhaiResult<String> {
            let s = m.0.shared()?;
            let entries: Vec<String> = s
                .session
                .engines()
                .all()
                .map(|(k, e)| {
                    let key = k.map_or("None".to_string(), |k| format!("'{k}'"));
                    format!("{key}: Engine({})", e.url())
                })
                .collect();
            Ok(format!("{{{}}}", entries.join(", ")))
        });
    }
    engine.register_get("url", |e: &mut EngineInfo| e.url.clone());
    engine.register_get("name", |e: &mut EngineInfo| e.dialect.to_string());
    engine.register_get("dialect", |e: &mut EngineInfo| DialectInfo {
        name: e.dialect,
    });
    engine.register_get("name", |d: &mut DialectInfo| d.name.to_string());
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |e: &mut EngineInfo| format!("Engine({})", e.url));
        engine.register_fn(name, |d: &mut DialectInfo| format!("<Dialect {}>", d.name));
    }
}
