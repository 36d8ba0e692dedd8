#compdef ormsh

autoload -U is-at-least

_ormsh() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'-c+[Evaluate one expression, print its result and exit]:EXPR:_default' \
'--command=[Evaluate one expression, print its result and exit]:EXPR:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_ormsh_commands" \
"*::: :->ormsh" \
&& ret=0
    case $state in
    (ormsh)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-command-$line[1]:"
        case $line[1] in
            (run)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--atomic[All or nothing\: the script'\''s commits are held (each a savepoint, so a rollback goes back to the last one) and committed together only if the script ends without error; one transaction, one sync]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
':file -- The .rhai file:_files' \
'*::args -- Arguments the script reads as `app.args`:_default' \
&& ret=0
;;
(shell)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(models)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
":: :_ormsh__subcmd__models_commands" \
"*::: :->models" \
&& ret=0

    case $state in
    (models)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-models-command-$line[1]:"
        case $line[1] in
            (dump)
_arguments "${_arguments_options[@]}" : \
'--out=[Write here instead of standard output]:FILE:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ormsh__subcmd__models__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-models-help-command-$line[1]:"
        case $line[1] in
            (dump)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(db)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
":: :_ormsh__subcmd__db_commands" \
"*::: :->db" \
&& ret=0

    case $state in
    (db)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-db-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--sql[Print the DDL that brings the database in line, without running it]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(current)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'-v[Alembic'\''s long form]' \
'--verbose[Alembic'\''s long form]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'-r+[Only the revisions from START to END, both included (base, heads, current, or a revision; either may be left out)]:START:END:_default' \
'--rev-range=[Only the revisions from START to END, both included (base, heads, current, or a revision; either may be left out)]:START:END:_default' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'-v[]' \
'--verbose[]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(heads)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'-v[]' \
'--verbose[]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(branches)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'-v[]' \
'--verbose[]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
'::revision -- A revision id (or a unique prefix), head, heads or base:_default' \
&& ret=0
;;
(upgrade)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--sql[Print the SQL instead of running it (from base, or FROM\:TO); in a multidb folder, write .sql and <bind>.sql instead]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
'::revision -- head, heads, a revision id or prefix, +N, REV+N:_default' \
&& ret=0
;;
(downgrade)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--sql[Print the SQL instead of running it (FROM\:TO); in a multidb folder, write .sql and <bind>.sql instead]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
'::revision -- base, a revision id or prefix, -N, REV-N:_default' \
&& ret=0
;;
(stamp)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--sql[Print the SQL instead of running it (from base, or FROM\:TO); in a multidb folder, write .sql and <bind>.sql instead]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
':revision -- head, heads, base, or a revision id or prefix (FROM\:TO with --sql):_default' \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(revision)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'-m+[The message]:MESSAGE:_default' \
'--message=[The message]:MESSAGE:_default' \
'--head=[The revision it revises (head)]:REV:_default' \
'--branch-label=[A branch label for the new revision]:LABEL:_default' \
'--rev-id=[The new revision'\''s id instead of a random one]:ID:_default' \
'*--rename=[A column that disappears while another of its type appears is renamed\: OLD=NEW or TABLE.OLD=NEW (repeatable)]:OLD=NEW:_default' \
'*--default=[The one-off value that fills a new NOT NULL column in a table with rows\: COLUMN=VALUE or TABLE.COLUMN=VALUE (repeatable)]:COLUMN=VALUE:_default' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--autogenerate[Write the changes the models need (as \`db migrate\`)]' \
'--sql[Refused, as Alembic refuses it\: a new revision has no SQL to print]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'-m+[The message]:MESSAGE:_default' \
'--message=[The message]:MESSAGE:_default' \
'--head=[The revision it revises (head)]:REV:_default' \
'--branch-label=[A branch label for the new revision]:LABEL:_default' \
'--rev-id=[The new revision'\''s id instead of a random one]:ID:_default' \
'*--rename=[A column that disappears while another of its type appears is renamed\: OLD=NEW or TABLE.OLD=NEW (repeatable)]:OLD=NEW:_default' \
'*--default=[The one-off value that fills a new NOT NULL column in a table with rows\: COLUMN=VALUE or TABLE.COLUMN=VALUE (repeatable)]:COLUMN=VALUE:_default' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--sql[Refused, as Alembic refuses it\: autogenerate compares the models with the live database (\`db upgrade --sql\` prints a revision'\''s SQL)]' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(merge)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'-m+[The message]:MESSAGE:_default' \
'--message=[The message]:MESSAGE:_default' \
'--branch-label=[A branch label for the new revision]:LABEL:_default' \
'--rev-id=[The new revision'\''s id instead of a random one]:ID:_default' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
'*::revisions -- The revisions to merge\: ids, prefixes, or `heads`:_default' \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
'::revision -- head, or a revision id or prefix:_default' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'-d+[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--directory=[The migrations folder (default\: migrations/ in the project)]:DIR:_files' \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ormsh__subcmd__db__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-db-help-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(current)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(heads)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(branches)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(upgrade)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(downgrade)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stamp)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(revision)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(merge)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--app=[The project folder (or its ormsh.toml); default\: the nearest ormsh.toml upwards]:PATH:_files' \
'--database-url=[Use this database instead of the project'\''s (SQLAlchemy URL)]:URL:_default' \
'--config=[In a Flask project\: the config a factory picks by name (\`config\['\''NAME'\''\]\`), as FLASK_CONFIG would]:NAME:_default' \
'--format=[How results print]:FORMAT:(table vertical json csv markdown)' \
'*--schema=[A schema (PostgreSQL) or database (MySQL) to reflect besides the search path'\''s; repeat it or join names with commas, \`*\` for every schema (\`schemas = \[..\]\` in ormsh.toml'\''s \[database\])]:NAME:_default' \
'--echo[Print every SQL statement (on by default at the prompt)]' \
'--no-echo[Print no SQL statements]' \
'--no-color[No colours, even on a terminal]' \
'--reflect[Add a model for every table that no model declares (automatic when the project has no models file)]' \
'--sandbox[Roll everything back at the end, whatever was committed\: a dry run for scripts, a sandbox at the prompt]' \
'--read-only[Open the database read-only\: the connection itself refuses every write, through the ORM or in hand-written SQL (\`read_only = true\` in ormsh.toml'\''s \[database\] does the same)]' \
'--strict[In \`run\` and -c\: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1]' \
'-y[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'--yes[Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c]' \
'-h[Print help]' \
'--help[Print help]' \
':shell -- bash, zsh or fish:(bash zsh fish)' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_ormsh__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-help-command-$line[1]:"
        case $line[1] in
            (run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(shell)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(models)
_arguments "${_arguments_options[@]}" : \
":: :_ormsh__subcmd__help__subcmd__models_commands" \
"*::: :->models" \
&& ret=0

    case $state in
    (models)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-help-models-command-$line[1]:"
        case $line[1] in
            (dump)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(db)
_arguments "${_arguments_options[@]}" : \
":: :_ormsh__subcmd__help__subcmd__db_commands" \
"*::: :->db" \
&& ret=0

    case $state in
    (db)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:ormsh-help-db-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(current)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(heads)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(branches)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(upgrade)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(downgrade)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(stamp)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(revision)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(merge)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(edit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_ormsh_commands] )) ||
_ormsh_commands() {
    local commands; commands=(
'run:Run a script\: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)' \
'shell:The interactive prompt (the default)' \
'models:Models\: \`ormsh models dump \[--out FILE\]\` writes every model (declared or reflected) as a models file' \
'db:The database\: \`ormsh db diff \[--sql\]\` shows where the models and the live database disagree (exit code 1 when they do); \`db upgrade\`, \`downgrade\`, \`current\`, \`history\`, \`heads\`, \`branches\`, \`show\` and \`stamp\` work on a Flask-Migrate (Alembic) migrations folder' \
'completions:Print shell completions' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__completions_commands] )) ||
_ormsh__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh completions commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db_commands] )) ||
_ormsh__subcmd__db_commands() {
    local commands; commands=(
'diff:Compare the models with the live tables' \
'current:The revision(s) the database is at (alembic_version)' \
'history:Every revision, newest first' \
'heads:The revisions nothing revises yet' \
'branches:The revisions that more than one revision revises' \
'show:One revision\: its parent, path and message' \
'upgrade:Apply the revisions up to REV (head), each in its own transaction' \
'downgrade:Revert the revisions down to REV (-1)' \
'stamp:Set alembic_version to REV without running any revision' \
'init:Make the migrations folder (what \`flask db init\` makes)' \
'revision:A new revision file on the head\: empty, or with --autogenerate what the models need' \
'migrate:A new revision with what the models need against the database at the head (\`revision --autogenerate\`)' \
'merge:One revision on several heads (all of them by default)' \
'edit:Open a revision file in \$EDITOR' \
'check:Exit code 1 when the models need a migration (a \`db migrate\` would write one), 0 when they do not' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh db commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__branches_commands] )) ||
_ormsh__subcmd__db__subcmd__branches_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db branches commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__check_commands] )) ||
_ormsh__subcmd__db__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db check commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__current_commands] )) ||
_ormsh__subcmd__db__subcmd__current_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db current commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__diff_commands] )) ||
_ormsh__subcmd__db__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db diff commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__downgrade_commands] )) ||
_ormsh__subcmd__db__subcmd__downgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db downgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__edit_commands] )) ||
_ormsh__subcmd__db__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db edit commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__heads_commands] )) ||
_ormsh__subcmd__db__subcmd__heads_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db heads commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help_commands] )) ||
_ormsh__subcmd__db__subcmd__help_commands() {
    local commands; commands=(
'diff:Compare the models with the live tables' \
'current:The revision(s) the database is at (alembic_version)' \
'history:Every revision, newest first' \
'heads:The revisions nothing revises yet' \
'branches:The revisions that more than one revision revises' \
'show:One revision\: its parent, path and message' \
'upgrade:Apply the revisions up to REV (head), each in its own transaction' \
'downgrade:Revert the revisions down to REV (-1)' \
'stamp:Set alembic_version to REV without running any revision' \
'init:Make the migrations folder (what \`flask db init\` makes)' \
'revision:A new revision file on the head\: empty, or with --autogenerate what the models need' \
'migrate:A new revision with what the models need against the database at the head (\`revision --autogenerate\`)' \
'merge:One revision on several heads (all of them by default)' \
'edit:Open a revision file in \$EDITOR' \
'check:Exit code 1 when the models need a migration (a \`db migrate\` would write one), 0 when they do not' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh db help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__branches_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__branches_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help branches commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__check_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help check commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__current_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__current_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help current commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__diff_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help diff commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__downgrade_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__downgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help downgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__edit_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help edit commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__heads_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__heads_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help heads commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__help_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__history_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help history commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__init_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help init commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__merge_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__merge_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help merge commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__migrate_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help migrate commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__revision_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__revision_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help revision commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__show_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help show commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__stamp_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__stamp_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help stamp commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__help__subcmd__upgrade_commands] )) ||
_ormsh__subcmd__db__subcmd__help__subcmd__upgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db help upgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__history_commands] )) ||
_ormsh__subcmd__db__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db history commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__init_commands] )) ||
_ormsh__subcmd__db__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db init commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__merge_commands] )) ||
_ormsh__subcmd__db__subcmd__merge_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db merge commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__migrate_commands] )) ||
_ormsh__subcmd__db__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db migrate commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__revision_commands] )) ||
_ormsh__subcmd__db__subcmd__revision_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db revision commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__show_commands] )) ||
_ormsh__subcmd__db__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db show commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__stamp_commands] )) ||
_ormsh__subcmd__db__subcmd__stamp_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db stamp commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__db__subcmd__upgrade_commands] )) ||
_ormsh__subcmd__db__subcmd__upgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh db upgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help_commands] )) ||
_ormsh__subcmd__help_commands() {
    local commands; commands=(
'run:Run a script\: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)' \
'shell:The interactive prompt (the default)' \
'models:Models\: \`ormsh models dump \[--out FILE\]\` writes every model (declared or reflected) as a models file' \
'db:The database\: \`ormsh db diff \[--sql\]\` shows where the models and the live database disagree (exit code 1 when they do); \`db upgrade\`, \`downgrade\`, \`current\`, \`history\`, \`heads\`, \`branches\`, \`show\` and \`stamp\` work on a Flask-Migrate (Alembic) migrations folder' \
'completions:Print shell completions' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__completions_commands] )) ||
_ormsh__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help completions commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db_commands] )) ||
_ormsh__subcmd__help__subcmd__db_commands() {
    local commands; commands=(
'diff:Compare the models with the live tables' \
'current:The revision(s) the database is at (alembic_version)' \
'history:Every revision, newest first' \
'heads:The revisions nothing revises yet' \
'branches:The revisions that more than one revision revises' \
'show:One revision\: its parent, path and message' \
'upgrade:Apply the revisions up to REV (head), each in its own transaction' \
'downgrade:Revert the revisions down to REV (-1)' \
'stamp:Set alembic_version to REV without running any revision' \
'init:Make the migrations folder (what \`flask db init\` makes)' \
'revision:A new revision file on the head\: empty, or with --autogenerate what the models need' \
'migrate:A new revision with what the models need against the database at the head (\`revision --autogenerate\`)' \
'merge:One revision on several heads (all of them by default)' \
'edit:Open a revision file in \$EDITOR' \
'check:Exit code 1 when the models need a migration (a \`db migrate\` would write one), 0 when they do not' \
    )
    _describe -t commands 'ormsh help db commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__branches_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__branches_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db branches commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__check_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db check commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__current_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__current_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db current commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__diff_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db diff commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__downgrade_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__downgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db downgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__edit_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__edit_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db edit commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__heads_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__heads_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db heads commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__history_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db history commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__init_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db init commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__merge_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__merge_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db merge commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__migrate_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db migrate commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__revision_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__revision_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db revision commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__show_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db show commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__stamp_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__stamp_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db stamp commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__db__subcmd__upgrade_commands] )) ||
_ormsh__subcmd__help__subcmd__db__subcmd__upgrade_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help db upgrade commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__help_commands] )) ||
_ormsh__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__models_commands] )) ||
_ormsh__subcmd__help__subcmd__models_commands() {
    local commands; commands=(
'dump:Write the models file' \
    )
    _describe -t commands 'ormsh help models commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__models__subcmd__dump_commands] )) ||
_ormsh__subcmd__help__subcmd__models__subcmd__dump_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help models dump commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__run_commands] )) ||
_ormsh__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help run commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__help__subcmd__shell_commands] )) ||
_ormsh__subcmd__help__subcmd__shell_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh help shell commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__models_commands] )) ||
_ormsh__subcmd__models_commands() {
    local commands; commands=(
'dump:Write the models file' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh models commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__models__subcmd__dump_commands] )) ||
_ormsh__subcmd__models__subcmd__dump_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh models dump commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__models__subcmd__help_commands] )) ||
_ormsh__subcmd__models__subcmd__help_commands() {
    local commands; commands=(
'dump:Write the models file' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'ormsh models help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__models__subcmd__help__subcmd__dump_commands] )) ||
_ormsh__subcmd__models__subcmd__help__subcmd__dump_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh models help dump commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__models__subcmd__help__subcmd__help_commands] )) ||
_ormsh__subcmd__models__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh models help help commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__run_commands] )) ||
_ormsh__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh run commands' commands "$@"
}
(( $+functions[_ormsh__subcmd__shell_commands] )) ||
_ormsh__subcmd__shell_commands() {
    local commands; commands=()
    _describe -t commands 'ormsh shell commands' commands "$@"
}

if [ "$funcstack[1]" = "_ormsh" ]; then
    _ormsh "$@"
else
    compdef _ormsh ormsh
fi
