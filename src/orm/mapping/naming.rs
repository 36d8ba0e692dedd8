//! Table names from model names, by Flask-SQLAlchemy's `camel_to_snake_case`
//! rule exactly, so a database made by a Flask app is found by ormsh.

/// `HTTPResponse` → `http_response`, `PostTag` → `post_tag`.
///
/// Flask-SQLAlchemy inserts `_` before an upper-case letter that follows a
/// lower-case letter or digit, or (not at the start) that begins a word
/// (precedes a lower-case letter); then lower-cases and strips leading `_`.
pub fn camel_to_snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let after_lower_or_digit =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let starts_word = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if after_lower_or_digit || starts_word {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out.trim_start_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::camel_to_snake_case;

    /// Also every case of Flask-SQLAlchemy 3.1's
    /// tests/test_model_name.py::test_camel_to_snake_case.
    #[test]
    fn follows_flask_sqlalchemy() {
        let cases = [
            ("User", "user"),
            ("PostTag", "post_tag"),
            ("HTMLLayout", "html_layout"),
            ("HTTP2Request", "http2_request"),
            ("PreABCPost", "pre_abc_post"),
            ("get2HTTPResponse123Code", "get2_http_response123_code"),
            ("Snake_case", "snake_case"),
            ("HTTPResponse", "http_response"),
            ("CamelCase", "camel_case"),
            ("ABC", "abc"),
            ("_Private", "private"),
            ("already_snake", "already_snake"),
            ("Model2", "model2"),
            ("URLFor2Users", "url_for2_users"),
            ("LayoutHTML", "layout_html"),
            ("ShoppingCartSession", "shopping_cart_session"),
            ("PreABC", "pre_abc"),
            ("ABCPost", "abc_post"),
            ("HTTP2RequestSession", "http2_request_session"),
            ("UserST4", "user_st4"),
            (
                "HTTP2ClientType3EncoderParametersSSE",
                "http2_client_type3_encoder_parameters_sse",
            ),
            (
                "LONGName4TestingCamelCase2snake_caseXYZ",
                "long_name4_testing_camel_case2snake_case_xyz",
            ),
            ("FooBarSSE2", "foo_bar_sse2"),
            (
                "AlarmMessageSS2SignalTransformer",
                "alarm_message_ss2_signal_transformer",
            ),
            ("AstV2Node", "ast_v2_node"),
            ("HTTPResponseCodeXYZ", "http_response_code_xyz"),
        ];
        for (model, table) in cases {
            assert_eq!(camel_to_snake_case(model), table, "{model}");
        }
    }
}
