#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

/* SSL_set_tlsext_host_name is a macro over SSL_ctrl, which Swift does not import. */
static inline int stacktop_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/* TLS 1.2 at least; a peer closing without close_notify reads as the end of the stream (the websocket
 * close handshake, not TLS, says whether the console ended cleanly). SSL_OP_* are macros Swift does not import. */
static inline void stacktop_ssl_ctx_defaults(SSL_CTX *ctx) {
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}
