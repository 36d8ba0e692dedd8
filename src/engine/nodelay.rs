//! TCP_NODELAY on the process's TCP sockets, set after each server
//! connection opens. sqlx 0.9.0 stopped setting it (transact-rs/sqlx#4335,
//! fixed in #4336 but not released), and without it Nagle's algorithm and
//! the server's delayed ACK hold every large statement ~40 ms: a 500-row
//! INSERT took 47 ms instead of 2. sqlx lends no socket out, so the sockets
//! are found by descriptor; the only TCP sockets ormsh opens are its
//! database connections. Remove this once a sqlx release sets it again.

/// Set TCP_NODELAY on every open TCP socket. Descriptors that are not TCP
/// sockets refuse the option, harmlessly.
pub(crate) fn set_on_tcp_sockets() {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let on: libc::c_int = 1;
    for fd in entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<libc::c_int>().ok()) {
        // SAFETY: setsockopt reads `on` for its size and touches nothing
        // else; on a closed descriptor or one that is not a TCP socket it
        // fails with an error code and changes nothing.
        unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}
