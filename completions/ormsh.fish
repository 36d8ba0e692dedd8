# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ormsh_global_optspecs
    string join \n app= database-url= config= c/command= echo no-echo format= no-color reflect sandbox read-only schema= strict y/yes h/help V/version
end

function __fish_ormsh_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ormsh_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ormsh_using_subcommand
    set -l cmd (__fish_ormsh_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ormsh -n "__fish_ormsh_needs_command" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_needs_command" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -s c -l command -d 'Evaluate one expression, print its result and exit' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_needs_command" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_needs_command" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_needs_command" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_needs_command" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_needs_command" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ormsh -n "__fish_ormsh_needs_command" -s V -l version -d 'Print version'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "run" -d 'Run a script: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "shell" -d 'The interactive prompt (the default)'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "models" -d 'Models: `ormsh models dump [--out FILE]` writes every model (declared or reflected) as a models file'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "db" -d 'The database: `ormsh db diff [--sql]` shows where the models and the live database disagree (exit code 1 when they do); `db upgrade`, `downgrade`, `current`, `history`, `heads`, `branches`, `show` and `stamp` work on a Flask-Migrate (Alembic) migrations folder'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l atomic -d 'All or nothing: the script\'s commits are held (each a savepoint, so a rollback goes back to the last one) and committed together only if the script ends without error; one transaction, one sync'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l out -d 'Write here instead of standard output' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l sql -d 'Print the DDL that brings the database in line, without running it'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s v -l verbose -d 'Alembic\'s long form'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l sql -d 'Print the SQL instead of running it (from base, or FROM:TO)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l sql -d 'Print the SQL instead of running it (FROM:TO)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "run" -d 'Run a script: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "shell" -d 'The interactive prompt (the default)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "models" -d 'Models: `ormsh models dump [--out FILE]` writes every model (declared or reflected) as a models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "db" -d 'The database: `ormsh db diff [--sql]` shows where the models and the live database disagree (exit code 1 when they do); `db upgrade`, `downgrade`, `current`, `history`, `heads`, `branches`, `show` and `stamp` work on a Flask-Migrate (Alembic) migrations folder'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "completions" -d 'Print shell completions'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
