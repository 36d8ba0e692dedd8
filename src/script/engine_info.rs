//! `db.engine`: which database the session's default bind is, as
//! Flask-SQLAlchemy's engine answers `db.engine.url` (the password masked),
//! `db.engine.name` and `db.engine.dialect.name`. It runs no statements:
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

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<EngineInfo>("Engine");
    engine.register_type_with_name::<DialectInfo>("Dialect");
    engine.register_get("engine", |db: &mut Db| -> RhaiResult<EngineInfo> {
        let s = db.shared()?;
        let e = s
            .session
            .engines()
            .default_engine()
            .map_err(super::convert::rhai_error)?;
        Ok(EngineInfo {
            url: e.url().to_string(),
            dialect: e.dialect().name(),
        })
    });
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
