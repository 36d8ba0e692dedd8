//! Reflection of real-style schemas beside Django's (tests/reflection_corpus.rs):
//! Northwind (capitalised names, a table name with a space, a text primary
//! key, a composite key, an employee who reports to an employee, numeric
//! prices and pictures) on every database, and WordPress's core tables on
//! MariaDB (BIGINT UNSIGNED keys, zero-date defaults, LONGTEXT, no foreign
//! keys). ormsh opened on each with no models file: the shell opens; the
//! dump reloads with no drift and `db diff` exits 0 on the untouched
//! database; each model's count is the table's; relationships both ways
//! give the same SQL join's rows; a row prints as the database's client
//! shows it; and a row that leaves the server-defaulted columns out goes in
//! under `--sandbox`, and is gone afterwards.

use crate::common::{self, Kind, Project, TestDb};

/// Northwind's tables, for `kind`: `"` quotes become the database's own.
fn northwind(kind: Kind) -> Vec<String> {
    let (blob, picture, stamp) = match kind {
        Kind::Postgres => ("BYTEA", "'\\x0102'", "TIMESTAMP"),
        Kind::MySql => ("BLOB", "x'0102'", "DATETIME"),
        Kind::Sqlite => ("BLOB", "x'0102'", "TIMESTAMP"),
    };
    let statements = [
        "CREATE TABLE \"Categories\" (\"CategoryID\" INTEGER PRIMARY KEY, \"CategoryName\" VARCHAR(15) NOT NULL, \"Description\" TEXT, \"Picture\" BLOB_TYPE)",
        "CREATE TABLE \"Customers\" (\"CustomerID\" CHAR(5) PRIMARY KEY, \"CompanyName\" VARCHAR(40) NOT NULL, \"City\" VARCHAR(15))",
        "CREATE TABLE \"Employees\" (\"EmployeeID\" INTEGER PRIMARY KEY, \"LastName\" VARCHAR(20) NOT NULL, \"FirstName\" VARCHAR(10) NOT NULL, \"BirthDate\" DATE, \"ReportsTo\" INTEGER REFERENCES \"Employees\" (\"EmployeeID\"))",
        "CREATE TABLE \"Shippers\" (\"ShipperID\" INTEGER PRIMARY KEY, \"CompanyName\" VARCHAR(40) NOT NULL)",
        "CREATE TABLE \"Products\" (\"ProductID\" INTEGER PRIMARY KEY, \"ProductName\" VARCHAR(40) NOT NULL, \"CategoryID\" INTEGER REFERENCES \"Categories\" (\"CategoryID\"), \"UnitPrice\" NUMERIC(10,4) DEFAULT 0, \"UnitsInStock\" SMALLINT DEFAULT 0, \"Discontinued\" INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE \"Orders\" (\"OrderID\" INTEGER PRIMARY KEY, \"CustomerID\" CHAR(5) REFERENCES \"Customers\" (\"CustomerID\"), \"EmployeeID\" INTEGER REFERENCES \"Employees\" (\"EmployeeID\"), \"OrderDate\" STAMP_TYPE, \"ShipVia\" INTEGER REFERENCES \"Shippers\" (\"ShipperID\"), \"Freight\" NUMERIC(10,4) DEFAULT 0)",
        "CREATE TABLE \"Order Details\" (\"OrderID\" INTEGER NOT NULL REFERENCES \"Orders\" (\"OrderID\"), \"ProductID\" INTEGER NOT NULL REFERENCES \"Products\" (\"ProductID\"), \"UnitPrice\" NUMERIC(10,4) NOT NULL DEFAULT 0, \"Quantity\" SMALLINT NOT NULL DEFAULT 1, \"Discount\" REAL NOT NULL DEFAULT 0, PRIMARY KEY (\"OrderID\", \"ProductID\"))",
        "INSERT INTO \"Categories\" VALUES (1, 'Beverages', 'Soft drinks, coffees, teas', PICTURE), (2, 'Condiments', NULL, NULL)",
        "INSERT INTO \"Customers\" VALUES ('ALFKI', 'Alfreds Futterkiste', 'Berlin'), ('ANATR', 'Ana Trujillo', 'México D.F.')",
        "INSERT INTO \"Employees\" VALUES (2, 'Fuller', 'Andrew', '1952-02-19', NULL)",
        "INSERT INTO \"Employees\" VALUES (1, 'Davolio', 'Nancy', '1948-12-08', 2), (3, 'Leverling', 'Janet', '1963-08-30', 2)",
        "INSERT INTO \"Shippers\" VALUES (1, 'Speedy Express'), (2, 'United Package')",
        "INSERT INTO \"Products\" VALUES (1, 'Chai', 1, 18, 39, 0), (2, 'Chang', 1, 19, 17, 0), (3, 'Aniseed Syrup', 2, 10, 13, 1)",
        "INSERT INTO \"Orders\" VALUES (10248, 'ALFKI', 1, '1996-07-04 00:00:00', 1, 32.38), (10249, 'ALFKI', 3, '1996-07-05 00:00:00', 2, 11.61), (10250, 'ANATR', 1, '1996-07-08 00:00:00', 2, 65.83)",
        "INSERT INTO \"Order Details\" VALUES (10248, 1, 14, 12, 0), (10248, 3, 9.8, 10, 0), (10249, 2, 18.6, 9, 0.15), (10250, 1, 16.8, 35, 0.15)",
    ];
    statements
        .iter()
        .map(|s| {
            let s = s
                .replace("BLOB_TYPE", blob)
                .replace("STAMP_TYPE", stamp)
                .replace("PICTURE", picture);
            if kind == Kind::MySql {
                s.replace('"', "`")
            } else {
                s
            }
        })
        .collect()
}

/// The dump reloads as a models file with no drift, `db diff` on the
/// untouched database exits 0, and each model's count is its table's.
fn dump_diff_counts(db: &TestDb, project: &Project, tables: &[(&str, &str)]) -> Project {
    let (dump, _) = project.ok(&["models", "dump"]);
    project.ok(&["db", "diff"]);
    let reloaded = Project::new(&db.url, &dump);
    reloaded.ok(&["db", "diff"]);
    for p in [project, &reloaded] {
        let script: Vec<String> = tables
            .iter()
            .map(|(model, _)| format!("print({model}.query.count());"))
            .collect();
        let (out, _) = p.ok(&["-c", &script.join(" ")]);
        let want: String = tables
            .iter()
            .map(|(_, table)| {
                format!(
                    "{}\n",
                    db.scalar(&format!("SELECT COUNT(*) FROM {}", db.quote(table)))
                )
            })
            .collect();
        assert_eq!(out, want, "{:?}: counts\n{dump}", db.kind);
    }
    reloaded
}

fn northwind_reflects(kind: Kind) {
    let db = TestDb::new(kind);
    for statement in northwind(kind) {
        db.rows(&statement);
    }
    let project = Project::without_models(&db.url, "");
    let (_, stderr) = project.ok(&["-c", "1"]);
    assert!(!stderr.contains("error"), "{kind:?}: {stderr}");
    let reloaded = dump_diff_counts(
        &db,
        &project,
        &[
            ("Category", "Categories"),
            ("Customer", "Customers"),
            ("Employee", "Employees"),
            ("Shipper", "Shippers"),
            ("Product", "Products"),
            ("Order", "Orders"),
            ("OrderDetail", "Order Details"),
        ],
    );

    // Relationships both ways, against the SQL joins.
    let q = |t: &str| db.quote(t);
    let sql_lines = |sql: &str| -> String {
        db.rows(sql)
            .into_iter()
            .map(|r| format!("{}\n", r.join(" ")))
            .collect()
    };
    let walk = r#"
        for o in Customer.query.get("ALFKI").orders { print(o.OrderID); }
        for d in Order.query.get(10248).order_details { print(`${d.ProductID} ${d.Quantity}`); }
        for d in Product.query.get(1).order_details { print(`${d.order.customer.CompanyName} ${d.Quantity}`); }
        print(OrderDetail.query.get([10249, 2]).product.ProductName);
        print(Employee.query.get(1).employee.LastName);
        for e in Employee.query.get(2).employees { print(e.LastName); }
        for p in Category.query.get(1).products { print(p.ProductName); }
    "#;
    let want = [
        sql_lines(&format!(
            "SELECT {} FROM {} WHERE {} = 'ALFKI' ORDER BY {}",
            q("OrderID"),
            q("Orders"),
            q("CustomerID"),
            q("OrderID")
        )),
        sql_lines(&format!(
            "SELECT {}, {} FROM {} WHERE {} = 10248 ORDER BY {}",
            q("ProductID"),
            q("Quantity"),
            q("Order Details"),
            q("OrderID"),
            q("ProductID")
        )),
        sql_lines(&format!(
            "SELECT c.{}, d.{} FROM {} d JOIN {} o ON o.{} = d.{} JOIN {} c ON c.{} = o.{} WHERE d.{} = 1 ORDER BY d.{}",
            q("CompanyName"),
            q("Quantity"),
            q("Order Details"),
            q("Orders"),
            q("OrderID"),
            q("OrderID"),
            q("Customers"),
            q("CustomerID"),
            q("CustomerID"),
            q("ProductID"),
            q("OrderID")
        )),
        sql_lines(&format!(
            "SELECT p.{} FROM {} d JOIN {} p ON p.{} = d.{} WHERE d.{} = 10249 AND d.{} = 2",
            q("ProductName"),
            q("Order Details"),
            q("Products"),
            q("ProductID"),
            q("ProductID"),
            q("OrderID"),
            q("ProductID")
        )),
        sql_lines(&format!(
            "SELECT m.{} FROM {} e JOIN {} m ON m.{} = e.{} WHERE e.{} = 1",
            q("LastName"),
            q("Employees"),
            q("Employees"),
            q("EmployeeID"),
            q("ReportsTo"),
            q("EmployeeID")
        )),
        sql_lines(&format!(
            "SELECT {} FROM {} WHERE {} = 2 ORDER BY {}",
            q("LastName"),
            q("Employees"),
            q("ReportsTo"),
            q("EmployeeID")
        )),
        sql_lines(&format!(
            "SELECT {} FROM {} WHERE {} = 1 ORDER BY {}",
            q("ProductName"),
            q("Products"),
            q("CategoryID"),
            q("ProductID")
        )),
    ]
    .concat();
    for p in [&project, &reloaded] {
        assert_eq!(p.ok(&["-c", walk]).0, want, "{kind:?}: relationships");
    }

    // A row as the database's client shows it.
    let (out, _) = project.ok(&["--format", "csv", "-c", "Order.query.get(10249)"]);
    assert_eq!(
        out,
        "OrderID,CustomerID,EmployeeID,OrderDate,ShipVia,Freight\n10249,ALFKI,3,1996-07-05T00:00:00,2,11.6100\n",
        "{kind:?}"
    );
    let (out, _) = project.ok(&["--format", "csv", "-c", "OrderDetail.query.get([10249, 2])"]);
    assert_eq!(
        out, "OrderID,ProductID,UnitPrice,Quantity,Discount\n10249,2,18.6000,9,0.15\n",
        "{kind:?}"
    );
    let (out, _) = project.ok(&["-c", "Category.query.get(1)"]);
    assert!(out.contains(r"b'\x01\x02'"), "{kind:?}: {out}");
    let (out, _) = project.ok(&["-c", "print(Customer.query.get(\"ANATR\").City)"]);
    assert_eq!(out, "México D.F.\n", "{kind:?}");

    // A new order line with only its keys: the database fills in the rest.
    let (out, _) = project.ok(&[
            "--sandbox",
            "-c",
            r#"db.session.add(OrderDetail(#{ order: Order.query.get(10250), product: Product.query.get(2) })); db.session.commit(); let d = OrderDetail.query.get([10250, 2]); print(`${d.Quantity} ${d.UnitPrice} ${d.Discount}`)"#,
        ],
    );
    assert!(out.starts_with("1 0.0000 0.0\n"), "{kind:?}: {out}");
    assert_eq!(
        db.scalar(&format!("SELECT COUNT(*) FROM {}", q("Order Details"))),
        "4"
    );
}

on_every_database!(northwind_reflects);

/// WordPress's core tables, as its installer makes them on MariaDB.
const WORDPRESS: &[&str] = &[
    "CREATE TABLE wp_users (ID bigint(20) unsigned NOT NULL AUTO_INCREMENT, user_login varchar(60) NOT NULL DEFAULT '', user_pass varchar(255) NOT NULL DEFAULT '', user_email varchar(100) NOT NULL DEFAULT '', user_registered datetime NOT NULL DEFAULT '0000-00-00 00:00:00', user_status int(11) NOT NULL DEFAULT 0, PRIMARY KEY (ID), KEY user_login_key (user_login)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci",
    "CREATE TABLE wp_posts (ID bigint(20) unsigned NOT NULL AUTO_INCREMENT, post_author bigint(20) unsigned NOT NULL DEFAULT 0, post_date datetime NOT NULL DEFAULT '0000-00-00 00:00:00', post_content longtext NOT NULL, post_title text NOT NULL, post_status varchar(20) NOT NULL DEFAULT 'publish', comment_count bigint(20) NOT NULL DEFAULT 0, PRIMARY KEY (ID), KEY post_author (post_author)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci",
    "CREATE TABLE wp_postmeta (meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, post_id bigint(20) unsigned NOT NULL DEFAULT 0, meta_key varchar(255) DEFAULT NULL, meta_value longtext, PRIMARY KEY (meta_id), KEY post_id (post_id)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci",
    "CREATE TABLE wp_options (option_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, option_name varchar(191) NOT NULL DEFAULT '', option_value longtext NOT NULL, autoload varchar(20) NOT NULL DEFAULT 'yes', PRIMARY KEY (option_id), UNIQUE KEY option_name (option_name)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci",
    "INSERT INTO wp_users (user_login, user_pass, user_email, user_registered) VALUES ('admin', '$P$Bhash', 'admin@example.com', '2024-05-01 12:00:00')",
    "INSERT INTO wp_posts (post_author, post_date, post_content, post_title) VALUES (1, '2024-05-02 09:00:00', 'Welcome to WordPress.', 'Hello world!'), (1, '2024-05-03 10:00:00', 'A page', 'Sample Page')",
    "INSERT INTO wp_postmeta (post_id, meta_key, meta_value) VALUES (2, '_wp_page_template', 'default')",
    "INSERT INTO wp_options (option_name, option_value) VALUES ('siteurl', 'http://example.com'), ('blogname', 'My Blog')",
];

#[test]
fn wordpress_reflects_on_mariadb() {
    if !common::available(Kind::MySql) {
        return;
    }
    let db = TestDb::new(Kind::MySql);
    for statement in WORDPRESS {
        db.rows(statement);
    }
    let project = Project::without_models(&db.url, "");
    dump_diff_counts(
        &db,
        &project,
        &[
            ("WpUser", "wp_users"),
            ("WpPost", "wp_posts"),
            ("WpPostmeta", "wp_postmeta"),
            ("WpOption", "wp_options"),
        ],
    );
    let (out, _) = project.ok(&[
            "--format",
            "csv",
            "-c",
            "WpPost.query.filter_by(#{ post_title: \"Hello world!\" }).with_entities(WpPost.ID, WpPost.post_date, WpPost.post_status, WpPost.comment_count).all()",
        ],
    );
    assert_eq!(
        out,
        "ID,post_date,post_status,comment_count\n1,2024-05-02T09:00:00,publish,0\n"
    );
    // A post with only its text: the author, date, status and count are
    // the database's defaults (the zero date among them).
    let (out, _) = project.ok(&[
            "--sandbox",
            "-c",
            r#"db.session.add(WpPost(#{ post_content: "Draft", post_title: "New" })); db.session.commit(); let p = WpPost.query.filter_by(#{ post_title: "New" }).one(); print(`${p.post_author} ${p.post_status} ${p.comment_count}`)"#,
        ],
    );
    assert!(out.starts_with("0 publish 0\n"), "{out}");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM wp_posts"), "2");
}
