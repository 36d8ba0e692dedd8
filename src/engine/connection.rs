//! The part of a connection that is the same on every backend: the pool of
//! one, the open transaction, and running compiled statements on it. Each
//! backend supplies only how to bind a value and decode a row.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use futures_util::TryStreamExt;
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Database, Executor, IntoArguments, Pool, Transaction};

use super::{ExecResult, RowView, database_error};
use crate::error::Result;
use crate::sql::{Bind, ColumnType, Compiled, Value};

/// What differs between backends below the SQL text.
pub(crate) trait Backend: 'static {
    type Db: Database;
    fn bind(args: &mut <Self::Db as Database>::Arguments, bind: &Bind) -> Result<()>;
    /// Column `i` as the database stored it (NULL included), before the
    /// model's declared type is applied.
    fn decode_column(row: &<Self::Db as Database>::Row, i: usize) -> Result<Value>;
    fn exec_result(result: &<Self::Db as Database>::QueryResult) -> ExecResult;
}

/// A row of a backend's, each column read as `types[i]` where it is given.
struct DriverRow<'a, B: Backend> {
    row: &'a <B::Db as Database>::Row,
    types: &'a [Option<ColumnType>],
}

impl<B: Backend> RowView for DriverRow<'_, B> {
    fn width(&self) -> usize {
        sqlx::Row::len(self.row)
    }
    fn value(&self, i: usize) -> Result<Value> {
        as_declared(B::decode_column(self.row, i)?, self.types, i)
    }
}

/// Column `i` as stored, read as `types[i]` where it is given. Inlined:
/// called apart, the value it was handed was stored and loaded again, a
/// stall that was a tenth of a large scan's time.
#[inline(always)]
pub(crate) fn as_declared(stored: Value, types: &[Option<ColumnType>], i: usize) -> Result<Value> {
    match types.get(i).and_then(Option::as_ref) {
        // Most values come back as they were declared: nothing to convert.
        Some(ty) if !ty.holds_as_is(&stored) => ty
            .from_stored(stored)
            .map_err(|e| crate::error::Error::invalid(format!("column {i}: {e}"))),
        _ => Ok(stored),
    }
}

pub(crate) struct Connection<B: Backend> {
    pool: Pool<B::Db>,
    tx: Option<Transaction<'static, B::Db>>,
    /// The connection kept between statements outside a transaction, and
    /// when it was last used: sqlx pings a connection each time it goes
    /// back to the pool, which was a second round trip for every read.
    kept: Option<(PoolConnection<B::Db>, Instant)>,
    /// The server's id for the pooled connection (0: unknown), set on connect.
    session_id: Arc<AtomicI64>,
}

impl<B: Backend> Connection<B>
where
    for<'c> &'c mut <B::Db as Database>::Connection: Executor<'c, Database = B::Db>,
    <B::Db as Database>::Arguments: IntoArguments<B::Db>,
{
    pub fn new(pool: Pool<B::Db>, session_id: Arc<AtomicI64>) -> Self {
        Connection {
            pool,
            tx: None,
            kept: None,
            session_id,
        }
    }

    /// Cancel the statement running on this connection, from a second one.
    /// Returns whether a cancel was sent (the connection is then replaced).
    pub async fn cancel(&self, dialect: &dyn crate::sql::Dialect) -> bool {
        let id = self.session_id.load(Ordering::Relaxed);
        let Some(sql) = dialect.cancel_sql(id).filter(|_| id != 0) else {
            return false;
        };
        let options = self.pool.connect_options();
        if let Ok(mut side) =
            <<B::Db as Database>::Connection as sqlx::Connection>::connect_with(&options).await
        {
            let _ = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut side).await;
            let _ = sqlx::Connection::close(side).await;
        }
        true
    }

    /// After an abandoned statement that could not be cancelled: wait (a
    /// little) until it hands the connection back.
    pub async fn settle(&self) {
        let free = tokio::time::timeout(std::time::Duration::from_secs(3), self.pool.acquire());
        drop(free.await);
    }

    /// A fresh pool with the same settings: the abandoned connection may
    /// still be draining the cancelled statement, and the pool holds one.
    pub fn replace_pool(&mut self) {
        self.tx = None;
        self.kept = None;
        let options = (*self.pool.connect_options()).clone();
        let fresh = self.pool.options().clone().connect_lazy_with(options);
        drop(std::mem::replace(&mut self.pool, fresh));
        self.session_id.store(0, Ordering::Relaxed);
    }

    pub fn in_transaction(&self) -> bool {
        self.tx.is_some()
    }

    pub async fn begin(&mut self) -> Result<()> {
        if self.tx.is_none() {
            // The kept connection goes back first: the pool lends it again.
            self.kept = None;
            match self.pool.begin().await {
                Ok(tx) => self.tx = Some(tx),
                Err(e) => return Err(self.explain(e).await),
            }
        }
        Ok(())
    }

    /// The connection for a statement outside a transaction: the one kept
    /// from the last, pinged first if it sat unused (the server may have
    /// ended it while the prompt waited), else one from the pool.
    async fn kept(&mut self) -> Result<&mut PoolConnection<B::Db>> {
        if let Some((conn, used)) = self.kept.as_mut()
            && used.elapsed() >= PING_AFTER_IDLE
            && sqlx::Connection::ping(&mut **conn).await.is_err()
        {
            self.kept = None;
        }
        if self.kept.is_none() {
            match self.pool.acquire().await {
                Ok(conn) => self.kept = Some((conn, Instant::now())),
                Err(e) => return Err(self.explain(e).await),
            }
        }
        Ok(&mut self.kept.as_mut().expect("kept just above").0)
    }

    /// The pool only says it timed out: one direct attempt finds out why
    /// (refused, unknown host, bad password) for the message.
    async fn explain(&self, err: sqlx::Error) -> crate::error::Error {
        if !matches!(err, sqlx::Error::PoolTimedOut) {
            return database_error(err);
        }
        let options = self.pool.connect_options();
        let attempt = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            <<B::Db as Database>::Connection as sqlx::Connection>::connect_with(&options),
        )
        .await;
        match attempt {
            Ok(Err(e)) => crate::error::Error::Connection(format!(
                "could not connect to the database: {}",
                database_error(e)
            )),
            _ => database_error(err),
        }
    }

    pub async fn commit(&mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await.map_err(database_error)?;
        }
        Ok(())
    }

    pub async fn rollback(&mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.rollback().await.map_err(database_error)?;
        }
        Ok(())
    }

    /// Forget the transaction, and the connection kept outside one, without
    /// waiting: dropping a transaction rolls it back.
    pub fn discard(&mut self) {
        self.tx = None;
        self.kept = None;
    }

    fn arguments(stmt: &Compiled) -> Result<<B::Db as Database>::Arguments> {
        let mut args = <B::Db as Database>::Arguments::default();
        for bind in &stmt.binds {
            B::bind(&mut args, bind)?;
        }
        Ok(args)
    }

    pub async fn execute(&mut self, stmt: &Compiled) -> Result<ExecResult> {
        let args = Self::arguments(stmt)?;
        let tx = self
            .tx
            .as_mut()
            .expect("the engine begins a transaction first");
        let query = sqlx::query_with(AssertSqlSafe(stmt.sql.as_str()), args);
        let result = tx.execute(query).await.map_err(database_error)?;
        Ok(B::exec_result(&result))
    }

    /// Run a query and hand each row over decoded, as it arrives.
    pub async fn fetch_rows(
        &mut self,
        stmt: &Compiled,
        types: &[Option<ColumnType>],
        mut each: impl FnMut(&dyn RowView) -> Result<()>,
    ) -> Result<()> {
        self.for_each_row(stmt, |row| each(&DriverRow::<B> { row, types }))
            .await
    }

    /// Rows of a statement the user wrote, with the column names the
    /// database gives (none when there are no rows).
    pub async fn fetch_named(&mut self, stmt: &Compiled) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
        use sqlx::{Column, Row};
        let mut names = Vec::new();
        let mut out = Vec::new();
        self.for_each_row(stmt, |row| {
            if out.is_empty() {
                names = row.columns().iter().map(|c| c.name().to_string()).collect();
            }
            out.push(DriverRow::<B> { row, types: &[] }.all()?);
            Ok(())
        })
        .await?;
        Ok((names, out))
    }

    /// Run a query and hand each row over as it arrives, so a large result
    /// is never held twice. Inside the transaction when one is open, else
    /// on its own (autocommit), so a prompt that only reads holds no locks.
    async fn for_each_row(
        &mut self,
        stmt: &Compiled,
        mut each: impl FnMut(&<B::Db as Database>::Row) -> Result<()>,
    ) -> Result<()> {
        let args = Self::arguments(stmt)?;
        let query = sqlx::query_with(AssertSqlSafe(stmt.sql.as_str()), args);
        match self.tx.as_mut() {
            Some(tx) => {
                let mut rows = tx.fetch(query);
                while let Some(row) = rows.try_next().await.map_err(database_error)? {
                    each(&row)?;
                }
            }
            None => {
                let conn = self.kept().await?;
                let outcome = async {
                    let mut rows = conn.fetch(query);
                    while let Some(row) = rows.try_next().await.map_err(database_error)? {
                        each(&row)?;
                    }
                    Ok(())
                }
                .await;
                match (outcome, self.kept.as_mut()) {
                    (Ok(()), Some((_, used))) => *used = Instant::now(),
                    // A statement that stopped part-way may leave rows
                    // unread: the pool's ping on return settles it.
                    (outcome, _) => {
                        self.kept = None;
                        outcome?
                    }
                }
            }
        }
        Ok(())
    }
}

/// How long a connection may sit unused before it is pinged when lent.
const PING_AFTER_IDLE: std::time::Duration = std::time::Duration::from_secs(1);

/// The pool's check before lending its connection: a ping, but only after
/// the connection sat unused for a while. sqlx pings every time by default,
/// a round trip more for each statement of a script (it pings again when
/// the connection comes back, which keeps a half-read one out of the pool);
/// a connection the server dropped while the prompt waited is still found
/// and replaced, and one dropped within the last second fails its statement
/// as lost.
pub(crate) fn ping_when_idle<DB: Database>() -> impl for<'c> Fn(
    &'c mut DB::Connection,
    sqlx::pool::PoolConnectionMetadata,
) -> futures_util::future::BoxFuture<
    'c,
    std::result::Result<bool, sqlx::Error>,
> + Send
+ Sync
+ 'static {
    |conn, meta| {
        Box::pin(async move {
            if meta.idle_for >= PING_AFTER_IDLE {
                sqlx::Connection::ping(conn).await?;
            }
            Ok(true)
        })
    }
}

/// The pool behind one server session (PostgreSQL, MariaDB): one
/// connection, opened lazily and kept without idle or lifetime limits (the
/// session holds it), pinged when it has been idle, and set up for
/// `dialect` by `remember_session_id`. Returns it with the slot of the
/// session's id and the server's version, once read.
pub(crate) fn session_pool<DB: Database>(
    connect: <DB::Connection as sqlx::Connection>::Options,
    options: &super::EngineOptions,
    dialect: &dyn crate::sql::Dialect,
) -> (Pool<DB>, Arc<AtomicI64>, Arc<std::sync::OnceLock<String>>)
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
    DB::Arguments: IntoArguments<DB>,
{
    let session_id = Arc::new(AtomicI64::new(0));
    let version = Arc::new(std::sync::OnceLock::new());
    let pool = sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(1)
        .idle_timeout(None::<std::time::Duration>)
        .max_lifetime(None::<std::time::Duration>)
        .acquire_timeout(options.connect_timeout)
        .test_before_acquire(false)
        .before_acquire(ping_when_idle::<DB>())
        .after_connect(remember_session_id::<DB>(
            dialect
                .read_only_session_sql()
                .filter(|_| options.read_only),
            session_id.clone(),
            dialect.session_id_sql(),
            version.clone(),
            dialect.server_version_sql(),
        ))
        .connect_lazy_with(connect);
    (pool, session_id, version)
}

/// For `after_connect` on a server: the session set up (`setup`:
/// read-only), the server's id for the new connection noted (to cancel its
/// statement from another one), and the server's version once, where the
/// dialect has a query for each. (sqlx sets TCP_NODELAY on the socket
/// itself.)
fn remember_session_id<DB: Database>(
    setup: Option<&'static str>,
    slot: Arc<AtomicI64>,
    sql: Option<&'static str>,
    version: Arc<std::sync::OnceLock<String>>,
    version_sql: Option<&'static str>,
) -> impl for<'c> Fn(
    &'c mut DB::Connection,
    sqlx::pool::PoolConnectionMetadata,
) -> futures_util::future::BoxFuture<'c, std::result::Result<(), sqlx::Error>>
+ Send
+ Sync
+ 'static
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'r> i64: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    for<'r> String: sqlx::Decode<'r, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
    DB::Arguments: IntoArguments<DB>,
{
    move |conn, _| {
        let slot = slot.clone();
        let version = version.clone();
        Box::pin(async move {
            if let Some(setup) = setup {
                sqlx::raw_sql(setup).execute(&mut *conn).await?;
            }
            if let Some(sql) = sql {
                let id: i64 = sqlx::query_scalar::<DB, i64>(sql)
                    .fetch_one(&mut *conn)
                    .await?;
                slot.store(id, Ordering::Relaxed);
            }
            if let Some(sql) = version_sql
                && version.get().is_none()
            {
                let text: String = sqlx::query_scalar::<DB, String>(sql)
                    .fetch_one(&mut *conn)
                    .await?;
                let _ = version.set(text);
            }
            Ok(())
        })
    }
}
