//! Aliases, subqueries, CTEs and unions in SQLAlchemy 2.0's statements and
//! the legacy query, checked against real Flask-SQLAlchemy on the same rows
//! (every database), with the SQL they write and what ormsh refuses.

use crate::common::{Kind, Project, TestDb};
use crate::select_statements::{Case, ok, raises, same_answers};

const CASES: &[Case] = &[
    // aliased(Model): self-joins, filters on the alias, selecting from it
    ok(
        "{ let b2 = aliased(Book); rows(db.session.execute(db.select(Book.id, b2.id).join(b2, Book.author_id == b2.author_id).where(Book.id < b2.id, b2.pages > 300).order_by(Book.id, b2.id).limit(12)).all()) }",
        "(lambda b2: rows(db.session.execute(db.select(Book.id, b2.id).join(b2, Book.author_id == b2.author_id).where(Book.id < b2.id, b2.pages > 300).order_by(Book.id, b2.id).limit(12)).all()))(aliased(Book))",
    ),
    ok(
        "{ let b2 = aliased(Book); db.session.execute(db.select(Book.id, b2.id).join(b2, Book.author_id == b2.author_id).limit(1)).keys() }",
        "(lambda b2: list(db.session.execute(db.select(Book.id, b2.id).join(b2, Book.author_id == b2.author_id).limit(1)).keys()))(aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author, #{ name: \"a\" }); ids(db.session.scalars(db.select(Book).join(a).where(a.name == \"author2\").order_by(Book.id)).all()) }",
        "(lambda a: ids(db.session.scalars(db.select(Book).join(a).where(a.name == \"author2\").order_by(Book.id)).all()))(aliased(Author, name=\"a\"))",
    ),
    ok(
        "{ let b = db.aliased(Book); ids(db.session.scalars(db.select(b).where(b.pages < 150).order_by(b.id.desc())).all()) }",
        "(lambda b: ids(db.session.scalars(db.select(b).where(b.pages < 150).order_by(b.id.desc())).all()))(db.aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); entity_ids(db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id < 5, b.id > 35).order_by(Book.id, b.id)).all()) }",
        "(lambda b: entity_ids(db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id < 5, b.id > 35).order_by(Book.id, b.id)).all()))(aliased(Book))",
    ),
    // a select of an alias's columns alone reads FROM the alias
    ok(
        "{ let b = aliased(Book); rows(db.session.execute(db.select(b.id, b.title).where(b.id < 4).order_by(b.id.desc())).all()) }",
        "(lambda b: rows(db.session.execute(db.select(b.id, b.title).where(b.id < 4).order_by(b.id.desc())).all()))(aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author, \"w\"); db.session.scalar(db.select(func.count(a.id)).where(a.born.is_not(()))) }",
        "(lambda a: db.session.scalar(db.select(func.count(a.id)).where(a.born.is_not(None))))(aliased(Author, name=\"w\"))",
    ),
    // a row's keys: an alias of no name has none, a named one its name
    ok(
        "{ let b = aliased(Book); let r = db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5)); [r.keys(), r.first()._fields] }",
        "(lambda b: (lambda r: [list(r.keys()), list(r.first()._fields)])(db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5))))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); let r = db.session.execute(db.select(b, Book).join(Book, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5)).first(); [r._fields, r._mapping.Book.id, r[0].id, r.len()] }",
        "(lambda b: (lambda r: [list(r._fields), r._mapping[\"Book\"].id, r[0].id, len(r)])(db.session.execute(db.select(b, Book).join(Book, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5)).first()))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book, \"other\"); let r = db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5)).first(); [r._fields, r.other.id, r.Book.id] }",
        "(lambda b: (lambda r: [list(r._fields), r.other.id, r.Book.id])(db.session.execute(db.select(Book, b).join(b, Book.author_id == b.author_id).where(Book.id == 1, b.id == 5)).first()))(aliased(Book, name=\"other\"))",
    ),
    ok(
        "{ let b = aliased(Book); let r = db.session.execute(db.select(b).where(b.id < 3).order_by(b.id)); [r.keys(), r.mappings().all().len()] }",
        "(lambda b: (lambda r: [list(r.keys()), len(r.mappings().all())])(db.session.execute(db.select(b).where(b.id < 3).order_by(b.id))))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); db.session.query(Book, b).join(b, Book.author_id == b.author_id).filter(Book.id == 2).first()._fields }",
        "(lambda b: list(db.session.query(Book, b).join(b, Book.author_id == b.author_id).filter(Book.id == 2).first()._fields))(aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author); let b = aliased(Book, \"bk\"); db.session.execute(db.select(a, b).join(b, b.author_id == a.id).where(a.id == 2).limit(1)).keys() }",
        "(lambda a, b: list(db.session.execute(db.select(a, b).join(b, b.author_id == a.id).where(a.id == 2).limit(1)).keys()))(aliased(Author), aliased(Book, name=\"bk\"))",
    ),
    ok(
        "{ let a = aliased(Author); ids(db.session.scalars(db.select(Book).outerjoin(a).filter_by(#{ name: \"author3\" }).order_by(Book.id)).all()) }",
        "(lambda a: ids(db.session.scalars(db.select(Book).outerjoin(a).filter_by(name=\"author3\").order_by(Book.id)).all()))(aliased(Author))",
    ),
    ok(
        "{ let b = aliased(Book); rows(db.session.execute(db.select(Author.name, func.count(b.id)).join(b, b.author_id == Author.id).where(b.pages > 250).group_by(Author.name).order_by(Author.name)).all()) }",
        "(lambda b: rows(db.session.execute(db.select(Author.name, func.count(b.id)).join(b, b.author_id == Author.id).where(b.pages > 250).group_by(Author.name).order_by(Author.name)).all()))(aliased(Book))",
    ),
    // ... and in the legacy query
    ok(
        "{ let b = aliased(Book); ids(Book.query.join(b, Book.author_id == b.author_id).filter(b.id == 1).order_by(Book.id).all()) }",
        "(lambda b: ids(Book.query.join(b, Book.author_id == b.author_id).filter(b.id == 1).order_by(Book.id).all()))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); rows(db.session.query(Book.id, b.id).join(b, Book.author_id == b.author_id).filter(Book.id < b.id, Book.id > 30).order_by(Book.id, b.id).all()) }",
        "(lambda b: rows(db.session.query(Book.id, b.id).join(b, Book.author_id == b.author_id).filter(Book.id < b.id, Book.id > 30).order_by(Book.id, b.id).all()))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); ids(db.session.query(b).filter(b.id < 4).order_by(b.id).all()) }",
        "(lambda b: ids(db.session.query(b).filter(b.id < 4).order_by(b.id).all()))(aliased(Book))",
    ),
    ok(
        "{ let b = aliased(Book); db.session.query(Book).join(b, Book.author_id == b.author_id).filter(b.pages > 400).count() }",
        "(lambda b: db.session.query(Book).join(b, Book.author_id == b.author_id).filter(b.pages > 400).count())(aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author); ids(db.session.scalars(db.select(Book).join(a, Book.author).where(a.name == \"author3\").order_by(Book.id)).all()) }",
        "(lambda a: ids(db.session.scalars(db.select(Book).join(a, Book.author).where(a.name == \"author3\").order_by(Book.id)).all()))(aliased(Author))",
    ),
    // the 2.0 select along relationships
    ok(
        "ids(db.session.scalars(db.select(Book).join(Book.tags).where(Tag.id == 2).order_by(Book.id)).all())",
        "ids(db.session.scalars(db.select(Book).join(Book.tags).where(Tag.id == 2).order_by(Book.id)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).join(Book, Author.books).where(Book.pages > 400).order_by(Author.id)).unique().all())",
        "ids(db.session.scalars(db.select(Author).join(Book, Author.books).where(Book.pages > 400).order_by(Author.id)).unique().all())",
    ),
    ok(
        "rows(db.session.execute(db.select(Author.name, Book.title).outerjoin(Author.books).where(Author.id > 4).order_by(Author.id, Book.id)).all())",
        "rows(db.session.execute(db.select(Author.name, Book.title).outerjoin(Author.books).where(Author.id > 4).order_by(Author.id, Book.id)).all())",
    ),
    // the legacy query of several entities: rows
    ok(
        "entity_ids(db.session.query(Book, Author).join(Author).filter(Book.id < 9).order_by(Book.id).all())",
        "entity_ids(db.session.query(Book, Author).join(Author).filter(Book.id < 9).order_by(Book.id).all())",
    ),
    ok(
        "{ let r = db.session.query(Book, Author.name).join(Author).filter(Book.pages > 300).order_by(Book.id).first(); [r[0].id, r.name] }",
        "(lambda r: [r[0].id, r.name])(db.session.query(Book, Author.name).join(Author).filter(Book.pages > 300).order_by(Book.id).first())",
    ),
    ok(
        "db.session.query(Book, Author).outerjoin(Author).filter_by(#{ name: \"author1\" }).count()",
        "db.session.query(Book, Author).outerjoin(Author).filter_by(name=\"author1\").count()",
    ),
    ok(
        "{ let b = aliased(Book); entity_ids(db.session.query(Book, b).join(b, Book.author_id == b.author_id).filter(Book.id < b.id, Book.id > 30).order_by(Book.id, b.id).all()) }",
        "(lambda b: entity_ids(db.session.query(Book, b).join(b, Book.author_id == b.author_id).filter(Book.id < b.id, Book.id > 30).order_by(Book.id, b.id).all()))(aliased(Book))",
    ),
    raises(
        "db.session.query(Book, Author).join(Author).one()",
        "db.session.query(Book, Author).join(Author).one()",
    ),
    // subqueries: joined, selected from, as a model's rows
    ok(
        "{ let sq = db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery(); rows(db.session.execute(db.select(Author.name, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(Author.id)).all()) }",
        "(lambda sq: rows(db.session.execute(db.select(Author.name, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(Author.id)).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery())",
    ),
    ok(
        "{ let sq = db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery(); let r = db.session.execute(db.select(Author, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(sq.c.n.desc(), Author.id)).all(); [ids(field(r, \"Author\")), field(r, \"n\")] }",
        "(lambda sq: (lambda r: [ids(field(r, \"Author\")), field(r, \"n\")])(db.session.execute(db.select(Author, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(sq.c.n.desc(), Author.id)).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery())",
    ),
    ok(
        "{ let sq = db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery(); rows(db.session.execute(db.select(sq.c.author_id, sq.c.n).where(sq.c.n > 8).order_by(sq.c.author_id)).all()) }",
        "(lambda sq: rows(db.session.execute(db.select(sq.c.author_id, sq.c.n).where(sq.c.n > 8).order_by(sq.c.author_id)).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery())",
    ),
    ok(
        "{ let sq = db.select(Book.author_id, Book.pages).where(Book.pages > 200).subquery(\"big\"); let r = db.session.execute(db.select(sq).order_by(sq.c.pages, sq.c.author_id)); [r.keys(), rows(r.all())] }",
        "(lambda sq: (lambda r: [list(r.keys()), rows(r.all())])(db.session.execute(db.select(sq).order_by(sq.c.pages, sq.c.author_id))))(db.select(Book.author_id, Book.pages).where(Book.pages > 200).subquery(\"big\"))",
    ),
    ok(
        "{ let sq = db.select(Book.author_id, func.max(Book.pages).label(\"most\")).where(Book.is_public.is_(true)).group_by(Book.author_id).subquery(\"best\"); rows(db.session.execute(db.select(Author.name, sq.c.most).outerjoin(sq, Author.id == sq.c.author_id).order_by(Author.id)).all()) }",
        "(lambda sq: rows(db.session.execute(db.select(Author.name, sq.c.most).outerjoin(sq, Author.id == sq.c.author_id).order_by(Author.id)).all()))(db.select(Book.author_id, func.max(Book.pages).label(\"most\")).where(Book.is_public.is_(True)).group_by(Book.author_id).subquery(\"best\"))",
    ),
    ok(
        "{ let b = aliased(Book, db.select(Book).where(Book.pages > 300).subquery()); ids(db.session.scalars(db.select(b).where(b.id < 20).order_by(b.id)).all()) }",
        "(lambda b: ids(db.session.scalars(db.select(b).where(b.id < 20).order_by(b.id)).all()))(aliased(Book, db.select(Book).where(Book.pages > 300).subquery()))",
    ),
    ok(
        "{ let sq = db.select(Book.author_id, func.count(Book.id).label(\"n\")).where(Book.pages > 100).group_by(Book.author_id).subquery(); rows(db.session.query(Author.name, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(Author.id).all()) }",
        "(lambda sq: rows(db.session.query(Author.name, sq.c.n).join(sq, Author.id == sq.c.author_id).order_by(Author.id).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).where(Book.pages > 100).group_by(Book.author_id).subquery())",
    ),
    // IN (SELECT ..)
    ok(
        "ids(db.session.scalars(db.select(Author).where(Author.id.in_(db.select(Book.author_id).where(Book.pages > 350))).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).where(Author.id.in_(db.select(Book.author_id).where(Book.pages > 350))).order_by(Author.id)).all())",
    ),
    ok(
        "ids(Author.query.filter(Author.id.not_in(db.select(Book.author_id).where(Book.pages > 350).scalar_subquery())).order_by(Author.id).all())",
        "ids(Author.query.filter(Author.id.not_in(db.select(Book.author_id).where(Book.pages > 350).scalar_subquery())).order_by(Author.id).all())",
    ),
    ok(
        "ids(Author.query.filter(Author.id.not_in(db.select(Book.author_id))).all())",
        "ids(Author.query.filter(Author.id.not_in(db.select(Book.author_id))).all())",
    ),
    ok(
        "{ let sq = db.select(Book.author_id).where(Book.is_public.is_(true)).subquery(); ids(Author.query.filter(Author.id.in_(db.select(sq.c.author_id))).order_by(Author.id).all()) }",
        "(lambda sq: ids(Author.query.filter(Author.id.in_(db.select(sq.c.author_id))).order_by(Author.id).all()))(db.select(Book.author_id).where(Book.is_public.is_(True)).subquery())",
    ),
    // CTEs
    ok(
        "{ let c = db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).cte(); rows(db.session.execute(db.select(Author.name, c.c.n).join(c, Author.id == c.c.author_id).where(c.c.n > 8).order_by(Author.id)).all()) }",
        "(lambda c: rows(db.session.execute(db.select(Author.name, c.c.n).join(c, Author.id == c.c.author_id).where(c.c.n > 8).order_by(Author.id)).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).cte())",
    ),
    ok(
        "{ let c = db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).cte(\"counts\"); rows(db.session.execute(db.select(c.c.n, func.count(c.c.author_id)).group_by(c.c.n).order_by(c.c.n)).all()) }",
        "(lambda c: rows(db.session.execute(db.select(c.c.n, func.count(c.c.author_id)).group_by(c.c.n).order_by(c.c.n)).all()))(db.select(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).cte(\"counts\"))",
    ),
    // recursive CTEs
    ok(
        "{ let c = db.select(literal(1).label(\"n\")).cte(#{ name: \"nums\", recursive: true }); c = c.union_all(db.select((c.c.n + 1).label(\"n\")).where(c.c.n < 5)); db.session.scalars(db.select(c.c.n).order_by(c.c.n)).all() }",
        "(lambda c: db.session.scalars(db.select(c.c.n).order_by(c.c.n)).all())((lambda c: c.union_all(db.select((c.c.n + 1).label(\"n\")).where(c.c.n < 5)))(db.select(literal(1).label(\"n\")).cte(name=\"nums\", recursive=True)))",
    ),
    ok(
        "{ let b = db.select(Book.id, Book.pages).where(Book.id == 1).cte(#{ recursive: true }); b = b.union_all(db.select(Book.id, Book.pages).join(b, Book.id == b.c.id + 1).where(Book.id < 6)); rows(db.session.execute(db.select(b.c.id, b.c.pages).order_by(b.c.id)).all()) }",
        "(lambda b: rows(db.session.execute(db.select(b.c.id, b.c.pages).order_by(b.c.id)).all()))((lambda b: b.union_all(db.select(Book.id, Book.pages).join(b, Book.id == b.c.id + 1).where(Book.id < 6)))(db.select(Book.id, Book.pages).where(Book.id == 1).cte(recursive=True)))",
    ),
    // unions and the other set operations, as functions and methods
    ok(
        "rows(db.session.execute(db.union(db.select(Book.id, Book.title).where(Book.id < 3), db.select(Book.id, Book.title).where(Book.id > 38)).order_by(Book.id)).all())",
        "rows(db.session.execute(union(db.select(Book.id, Book.title).where(Book.id < 3), db.select(Book.id, Book.title).where(Book.id > 38)).order_by(Book.id)).all())",
    ),
    ok(
        "rows(db.session.execute(db.select(Book.author_id).where(Book.id < 6).union_all(db.select(Book.author_id).where(Book.id < 4)).order_by(Book.author_id.desc()).limit(5)).all())",
        "rows(db.session.execute(db.select(Book.author_id).where(Book.id < 6).union_all(db.select(Book.author_id).where(Book.id < 4)).order_by(Book.author_id.desc()).limit(5)).all())",
    ),
    ok(
        "db.session.execute(db.union(db.select(Book).where(Book.id == 1), db.select(Book).where(Book.id == 2))).keys()",
        "list(db.session.execute(union(db.select(Book).where(Book.id == 1), db.select(Book).where(Book.id == 2))).keys())",
    ),
    ok(
        "rows(db.session.execute(union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(Book.id)).all())",
        "rows(db.session.execute(union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(Book.id)).all())",
    ),
    ok(
        "db.session.scalars(db.select(Book.author_id).where(Book.pages > 300).intersect(db.select(Book.author_id).where(Book.pages < 100)).order_by(Book.author_id)).all()",
        "db.session.scalars(db.select(Book.author_id).where(Book.pages > 300).intersect(db.select(Book.author_id).where(Book.pages < 100)).order_by(Book.author_id)).all()",
    ),
    ok(
        "db.session.scalars(db.except_(db.select(Author.id), db.select(Book.author_id).where(Book.pages > 400)).order_by(Author.id)).all()",
        "db.session.scalars(except_(db.select(Author.id), db.select(Book.author_id).where(Book.pages > 400)).order_by(Author.id)).all()",
    ),
    ok(
        "db.session.scalars(union(db.select(Book.id).where(Book.id == 1), db.select(Book.id).where(Book.id == 2), db.select(Book.id).where(Book.id == 3)).order_by(Book.id.desc()).offset(1)).all()",
        "db.session.scalars(union(db.select(Book.id).where(Book.id == 1), db.select(Book.id).where(Book.id == 2), db.select(Book.id).where(Book.id == 3)).order_by(Book.id.desc()).offset(1)).all()",
    ),
    ok(
        "db.session.scalar(union_all(db.select(Book.pages).where(Book.id == 2), db.select(Author.id).where(Author.id == 1)).order_by(Book.pages.desc()))",
        "db.session.scalar(union_all(db.select(Book.pages).where(Book.id == 2), db.select(Author.id).where(Author.id == 1)).order_by(Book.pages.desc()))",
    ),
    // the legacy Query.exists(): an EXISTS construct, as in SQLAlchemy
    ok(
        "db.session.query(Book.query.filter(Book.pages > 400).exists()).scalar()",
        "db.session.query(Book.query.filter(Book.pages > 400).exists()).scalar()",
    ),
    ok(
        "db.session.query(Book.query.filter(Book.id < 0).exists()).scalar()",
        "db.session.query(Book.query.filter(Book.id < 0).exists()).scalar()",
    ),
    ok(
        "db.session.scalar(db.select(Book.query.join(Author).filter(Author.name == \"author3\").exists()))",
        "db.session.scalar(db.select(Book.query.join(Author).filter(Author.name == \"author3\").exists()))",
    ),
    ok(
        "rows(db.session.execute(db.select(Author.query.filter(Author.born.is_(())).exists())).all())",
        "rows(db.session.execute(db.select(Author.query.filter(Author.born.is_(None)).exists())).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Author).where(Book.query.filter(Book.author_id == Author.id, Book.pages > 420).exists()).order_by(Author.id)).all())",
        "ids(db.session.scalars(db.select(Author).where(Book.query.filter(Book.author_id == Author.id, Book.pages > 420).exists()).order_by(Author.id)).all())",
    ),
    ok(
        "ids(Author.query.filter(!Book.query.filter(Book.author_id == Author.id).exists()).order_by(Author.id).all())",
        "ids(Author.query.filter(~Book.query.filter(Book.author_id == Author.id).exists()).order_by(Author.id).all())",
    ),
    // the legacy get() with loader options; what it refuses
    ok(
        "{ let b = Book.query.options(db.joinedload(Book.author)).get(3); [b.id, b.author.name] }",
        "(lambda b: [b.id, b.author.name])(Book.query.options(db.joinedload(Book.author)).get(3))",
    ),
    ok(
        "{ let a = Author.query.options(selectinload(Author.books)).get_or_404(2); [a.name, ids(a.books)] }",
        "(lambda a: [a.name, ids(a.books)])(Author.query.options(db.selectinload(Author.books)).get_or_404(2))",
    ),
    ok(
        "Book.query.options(load_only(Book.title)).get(400)",
        "Book.query.options(load_only(Book.title)).get(400)",
    ),
    raises(
        "Book.query.with_entities(Book.title).get(1)",
        "Book.query.with_entities(Book.title).get(1)",
    ),
    raises(
        "db.session.query(aliased(Book)).get(1)",
        "db.session.query(aliased(Book)).get(1)",
    ),
    // a compound select ordered by a column's name or label
    ok(
        "rows(db.session.execute(db.union(db.select(Book.id, Book.title).where(Book.id < 3), db.select(Book.id, Book.title).where(Book.id > 37)).order_by(\"title\")).all())",
        "rows(db.session.execute(union(db.select(Book.id, Book.title).where(Book.id < 3), db.select(Book.id, Book.title).where(Book.id > 37)).order_by(\"title\")).all())",
    ),
    ok(
        "db.session.scalars(db.union_all(db.select(Book.author_id.label(\"a\")).where(Book.id < 5), db.select(Author.id.label(\"a\")).where(Author.id < 3)).order_by(\"a\")).all()",
        "db.session.scalars(union_all(db.select(Book.author_id.label(\"a\")).where(Book.id < 5), db.select(Author.id.label(\"a\")).where(Author.id < 3)).order_by(\"a\")).all()",
    ),
    ok(
        "rows(db.session.execute(db.select(Book.pages, Book.id).where(Book.id < 9).except_(db.select(Book.pages, Book.id).where(Book.pages.is_(()))).order_by(\"pages\", Book.id.desc()).limit(4)).all())",
        "rows(db.session.execute(db.select(Book.pages, Book.id).where(Book.id < 9).except_(db.select(Book.pages, Book.id).where(Book.pages.is_(None))).order_by(\"pages\", Book.id.desc()).limit(4)).all())",
    ),
    ok(
        "ids(db.session.scalars(db.select(Book).from_statement(db.union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(\"id\"))).all())",
        "ids(db.session.scalars(db.select(Book).from_statement(union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(\"id\"))).all())",
    ),
    raises(
        "db.session.execute(db.union(db.select(Book.id), db.select(Author.id)).order_by(\"nope\")).all()",
        "db.session.execute(union(db.select(Book.id), db.select(Author.id)).order_by(\"nope\")).all()",
    ),
    // contains_eager: the relationship read from the query's own join
    ok(
        "with_author(Book.query.join(Book.author).filter(Author.name == \"author2\").options(contains_eager(Book.author)).order_by(Book.id).all())",
        "with_author(Book.query.join(Book.author).filter(Author.name == \"author2\").options(contains_eager(Book.author)).order_by(Book.id).all())",
    ),
    ok(
        "{ let out = []; for a in Author.query.join(Author.books).filter(Book.pages > 300).options(contains_eager(Author.books)).order_by(Author.id, Book.id).all() { out.push([a.id, ids(a.books)]); } out }",
        "[[a.id, ids(a.books)] for a in Author.query.join(Author.books).filter(Book.pages > 300).options(contains_eager(Author.books)).order_by(Author.id, Book.id).all()]",
    ),
    ok(
        "{ let out = []; for a in db.session.scalars(db.select(Author).join(Author.books).where(Book.pages < 150).options(contains_eager(Author.books)).order_by(Author.id, Book.id)).unique().all() { out.push([a.id, ids(a.books)]); } out }",
        "[[a.id, ids(a.books)] for a in db.session.scalars(db.select(Author).join(Author.books).where(Book.pages < 150).options(contains_eager(Author.books)).order_by(Author.id, Book.id)).unique().all()]",
    ),
    raises(
        "db.session.scalars(db.select(Author).join(Author.books).options(contains_eager(Author.books))).all()",
        "db.session.scalars(db.select(Author).join(Author.books).options(contains_eager(Author.books))).all()",
    ),
    ok(
        "{ let a = aliased(Author); with_author(db.session.scalars(db.select(Book).join(Book.author.of_type(a)).options(contains_eager(Book.author.of_type(a))).where(a.id == 3).order_by(Book.id)).all()) }",
        "(lambda a: with_author(db.session.scalars(db.select(Book).join(Book.author.of_type(a)).options(contains_eager(Book.author.of_type(a))).where(a.id == 3).order_by(Book.id)).all()))(aliased(Author))",
    ),
    // Result.partitions
    ok(
        "db.session.scalars(db.select(Book.id).where(Book.id < 8).order_by(Book.id)).partitions(3)",
        "list(db.session.scalars(db.select(Book.id).where(Book.id < 8).order_by(Book.id)).partitions(3))",
    ),
    ok(
        "{ let out = []; for p in db.session.scalars(db.select(Book).where(Book.id > 35).order_by(Book.id)).partitions(2) { out.push(ids(p)); } out }",
        "[ids(p) for p in db.session.scalars(db.select(Book).where(Book.id > 35).order_by(Book.id)).partitions(2)]",
    ),
    ok(
        "db.session.scalars(db.select(Book.id).where(Book.id > 400)).partitions(3)",
        "list(db.session.scalars(db.select(Book.id).where(Book.id > 400)).partitions(3))",
    ),
    // a union's rows as objects, and a union read as a table
    ok(
        "ids(db.session.scalars(db.select(Book).from_statement(db.union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(Book.id))).all())",
        "ids(db.session.scalars(db.select(Book).from_statement(union(db.select(Book).where(Book.id < 3), db.select(Book).where(Book.id > 38)).order_by(Book.id))).all())",
    ),
    ok(
        "{ let b = aliased(Book, db.union(db.select(Book).where(Book.pages < 100), db.select(Book).where(Book.pages > 400)).subquery()); ids(db.session.scalars(db.select(b).where(b.id > 5).order_by(b.id.desc())).all()) }",
        "(lambda b: ids(db.session.scalars(db.select(b).where(b.id > 5).order_by(b.id.desc())).all()))(aliased(Book, union(db.select(Book).where(Book.pages < 100), db.select(Book).where(Book.pages > 400)).subquery()))",
    ),
    ok(
        "{ let sq = db.union_all(db.select(Book.author_id.label(\"a\")).where(Book.id < 9), db.select(Author.id)).subquery(\"ids\"); rows(db.session.execute(db.select(sq.c.a, func.count(sq.c.a)).group_by(sq.c.a).order_by(sq.c.a)).all()) }",
        "(lambda sq: rows(db.session.execute(db.select(sq.c.a, func.count(sq.c.a)).group_by(sq.c.a).order_by(sq.c.a)).all()))(union_all(db.select(Book.author_id.label(\"a\")).where(Book.id < 9), db.select(Author.id)).subquery(\"ids\"))",
    ),
    // the legacy query's union and subquery
    // a relationship read from an alias the query reads or has joined
    ok(
        "{ let a = aliased(Author); rows(db.session.execute(db.select(a.name, Book.title).join(a.books).where(Book.pages > 300).order_by(Book.id)).all()) }",
        "(lambda a: rows(db.session.execute(db.select(a.name, Book.title).join(a.books).where(Book.pages > 300).order_by(Book.id)).all()))(aliased(Author))",
    ),
    ok(
        "{ let a = aliased(Author); rows(db.session.query(a.name, func.count(Book.id)).outerjoin(a.books).group_by(a.id, a.name).order_by(a.id).all()) }",
        "(lambda a: rows(db.session.query(a.name, func.count(Book.id)).outerjoin(a.books).group_by(a.id, a.name).order_by(a.id).all()))(aliased(Author))",
    ),
    ok(
        "{ let b = aliased(Book); rows(db.session.execute(db.select(Book.id, Author.name).join(b, Book.author_id == b.author_id).join(b.author).where(b.id == 7).order_by(Book.id)).all()) }",
        "(lambda b: rows(db.session.execute(db.select(Book.id, Author.name).join(b, Book.author_id == b.author_id).join(b.author).where(b.id == 7).order_by(Book.id)).all()))(aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author); let b = aliased(Book); rows(db.session.execute(db.select(a.name, b.title).join(b, a.books).where(b.pages < 150).order_by(b.id)).all()) }",
        "(lambda a, b: rows(db.session.execute(db.select(a.name, b.title).join(b, a.books).where(b.pages < 150).order_by(b.id)).all()))(aliased(Author), aliased(Book))",
    ),
    ok(
        "{ let a = aliased(Author); ids(db.session.query(a).join(Book, a.books).filter(Book.pages > 400).order_by(a.id).distinct().all()) }",
        "(lambda a: ids(db.session.query(a).join(Book, a.books).filter(Book.pages > 400).order_by(a.id).distinct().all()))(aliased(Author))",
    ),
    ok(
        "ids(Book.query.filter(Book.id < 3).union(Book.query.filter(Book.id > 38)).order_by(Book.id.desc()).all())",
        "ids(Book.query.filter(Book.id < 3).union(Book.query.filter(Book.id > 38)).order_by(Book.id.desc()).all())",
    ),
    ok(
        "Book.query.filter(Book.id < 10).union(Book.query.filter(Book.id > 30)).filter(Book.pages > 200).count()",
        "Book.query.filter(Book.id < 10).union(Book.query.filter(Book.id > 30)).filter(Book.pages > 200).count()",
    ),
    ok(
        "rows(Book.query.with_entities(Book.author_id).filter(Book.id < 4).union_all(Book.query.with_entities(Book.author_id).filter(Book.id < 3)).order_by(Book.author_id).all())",
        "rows(Book.query.with_entities(Book.author_id).filter(Book.id < 4).union_all(Book.query.with_entities(Book.author_id).filter(Book.id < 3)).order_by(Book.author_id).all())",
    ),
    ok(
        "{ let sub = db.session.query(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery(); let out = []; for r in db.session.query(Author, sub.c.n).outerjoin(sub, Author.id == sub.c.author_id).order_by(Author.id).all() { out.push([r[0].id, r[1]]); } out }",
        "(lambda sub: [[r[0].id, r[1]] for r in db.session.query(Author, sub.c.n).outerjoin(sub, Author.id == sub.c.author_id).order_by(Author.id).all()])(db.session.query(Book.author_id, func.count(Book.id).label(\"n\")).group_by(Book.author_id).subquery())",
    ),
    raises(
        "db.session.execute(db.union(db.select(Book.id), db.select(Book.id, Book.title))).all()",
        "db.session.execute(union(db.select(Book.id), db.select(Book.id, Book.title))).all()",
    ),
];

fn same_answers_as_flask_sqlalchemy(kind: Kind) {
    same_answers(kind, CASES);
}

on_every_database!(same_answers_as_flask_sqlalchemy);

/// The SQL shown is SQLAlchemy's shape: anonymous aliases numbered per
/// statement (`book_1`, `anon_1`), a union member with its own LIMIT in
/// parentheses, or read as a subquery on SQLite, which takes none; and
/// what cannot be honoured is refused by name.
fn sql_and_refusals(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, include_str!("fixtures/books.rhai"));
    project.run_ok("db.create_all();");
    let (out, _) = project.run_ok(
        r#"
let b = aliased(Book);
print(db.select(Book.id, b.id).join(b, Book.author_id == b.author_id).to_string());
let sq = db.select(Book.author_id, func.count(Book.id).label("n")).group_by(Book.author_id).subquery();
print(db.select(Author.name, sq.c.n).join(sq, Author.id == sq.c.author_id).to_string());
let c = db.select(Book.author_id).cte("ids");
print(db.select(Author.id).join(c, Author.id == c.c.author_id).to_string());
print(db.union(db.select(Book.id).limit(1), db.select(Author.id)).order_by(Book.id).to_string());
for code in [
    || db.select(Book.id).cte().union_all(db.select(Book.id)),
    || db.select(Author).join(db.select(Book.author_id).subquery()),
    || joinedload(aliased(Author).books),
    || db.select(Book.id).subquery().c.nope,
    || db.select(Book.id).union(db.select(Author.id)).order_by(Book.title),
    || db.select(Book, aliased(Book)).sql(),
] {
    try { code.call(); print("no error"); } catch (e) { print(e); }
}
"#,
    );
    // No name here is reserved anywhere: SQLAlchemy writes them all bare.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "SELECT book.id, book_1.id FROM book JOIN book AS book_1 ON book.author_id = book_1.author_id",
        "{kind:?}"
    );
    assert!(
        lines[1].contains("JOIN (SELECT book.author_id AS author_id, count(book.id) AS n FROM book GROUP BY book.author_id) AS anon_1 ON author.id = anon_1.author_id"),
        "{kind:?}: {}", lines[1]
    );
    assert!(
        lines[2].starts_with("WITH ids AS (SELECT book.author_id AS author_id FROM book) SELECT author.id FROM author JOIN ids ON"),
        "{kind:?}: {}", lines[2]
    );
    let member = if kind == Kind::Sqlite {
        "SELECT * FROM (SELECT book.id FROM book LIMIT "
    } else {
        "(SELECT book.id FROM book LIMIT "
    };
    assert!(
        lines[3].starts_with(member)
            && lines[3].contains(" UNION SELECT author.id FROM author ORDER BY id"),
        "{kind:?}: {}",
        lines[3]
    );
    let refusals = &lines[4..];
    for (line, says) in refusals.iter().zip([
        "is for a recursive CTE: make it with cte(#{ recursive: true })",
        "needs the condition to join on",
        "a relationship of an alias is not a loader path in ormsh",
        "has no column `nope`; it has id",
        "the union has no column `title`; it has id",
        "this select reads an alias of `book` without joining it to `book`",
    ]) {
        assert!(line.contains(says), "{kind:?}: {line} (wanted: {says})");
    }
    assert_eq!(refusals.len(), 6, "{out}");
}

on_every_database!(sql_and_refusals);

/// `undefer(..)` loads a column that `load_only(..)` or `defer(..)` left
/// out of the SELECT; the columns still left out load when read.
fn undefer_loads_what_an_earlier_option_left_out(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, include_str!("fixtures/books.rhai"));
    project.run_ok(
        r#"db.create_all(); db.session.add(Book(#{ id: 1, title: "t", pages: 87, published: "2011-02-11" })); db.session.commit();"#,
    );
    let (out, _) = project.run_ok(
        r#"
print(Book.query.options(load_only(Book.title), undefer(Book.pages)).filter(Book.id == 1).to_string());
print(db.select(Book).options(defer(Book.title, Book.pages), undefer(Book.title)).to_string());
let b = Book.query.options(load_only(Book.title), undefer(Book.pages)).filter(Book.id == 1).one();
print(`${b.pages} ${b.published}`);
"#,
    );
    let lines: Vec<&str> = out.lines().collect();
    let columns = |sql: &str| sql.split(" FROM ").next().unwrap_or("").to_string();
    let first = columns(lines[0]);
    assert!(
        first.contains("title") && first.contains("pages") && !first.contains("published"),
        "{kind:?}: {}",
        lines[0]
    );
    let second = columns(lines[1]);
    assert!(
        second.contains("title") && !second.contains("pages") && second.contains("published"),
        "{kind:?}: {}",
        lines[1]
    );
    assert_eq!(lines[2], "87 2011-02-11", "{kind:?}");
}

on_every_database!(undefer_loads_what_an_earlier_option_left_out);

/// `Model.query.options(..).get(pk)` loads with the options, as
/// SQLAlchemy's `Query.get()`: a joined load is in the one SELECT, and
/// reading the relationship after sends nothing; an object already held is
/// answered from the identity map, with no SELECT.
fn get_honours_loader_options(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, include_str!("fixtures/books.rhai"));
    project.run_ok(
        r#"db.create_all(); db.session.add(Author(#{ id: 1, name: "a" })); db.session.add(Book(#{ id: 1, title: "t", author_id: 1 }));"#,
    );
    let (out, err) = project.run_ok(
        r#"
let b = Book.query.options(db.joinedload(Book.author)).get(1);
print(`author ${b.author.name}`);
let again = Book.query.options(db.joinedload(Book.author)).get(1);
print(`again ${again.title}`);
"#,
    );
    let echo = format!("{out}{err}");
    let selects: Vec<&str> = echo.lines().filter(|l| l.starts_with("SELECT")).collect();
    assert_eq!(selects.len(), 1, "{kind:?}: {echo}");
    assert!(selects[0].contains("LEFT OUTER JOIN"), "{kind:?}: {echo}");
    assert!(
        echo.contains("author a") && echo.contains("again t"),
        "{kind:?}: {echo}"
    );
}

on_every_database!(get_honours_loader_options);
