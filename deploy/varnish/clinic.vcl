#
# Varnish in front of the clinic content API (Varnish 6 or 7 with varnish-modules' xkey).
#
#   varnishd -a :6081 -f /path/to/deploy/varnish/clinic.vcl -s malloc,256m
#
# and on the app: EDGE_CACHE_PURGE_URLS=http://<this varnish>:6081/ (EDGE_CACHE_KEY_HEADER
# stays "xkey", the default). docs/frontends.md ("Edge caches and purges") says what it does;
# tests/edge/test_varnish.py runs it with a real varnishd in front of a live app.
#
# - Caches public API reads (/api/) and the sitemaps (/sitemap.xml, /sitemap-<lang>.xml) by URL (query sorted) and host, and, as the app says
#   with Vary, by Accept-Language: dropped when ?lang= chooses the language, else lowercased
#   and stripped of spaces.
# - Keeps responses as long as the app's Cache-Control says (s-maxage, then max-age); never
#   those that are private, no-store, no-cache or not public (errors, previews, health).
# - Tags each response with the app's xkey header (its surrogate keys) and purges by key on
#   "PURGE" requests with an xkey-purge (or xkey-softpurge) header from the purgers ACL.
# - Compresses JSON and text with gzip (stored compressed, unzipped for clients that do not
#   accept gzip).
#
vcl 4.1;

import std;
import xkey;

# The app: gunicorn (make serve). Edit for your deployment.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

# Who may purge: the hosts running the app (its processes purge after each change).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "An xkey-purge or xkey-softpurge header is required"));
        }
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, static files and anything else: sessions and cookies, not cached here.
    if (req.url !~ "^/(api/|sitemap(-[a-z-]+)?\.xml)") {
        return (pass);
    }
    # The API uses no cookies or credentials (previews carry a signed token in the URL).
    unset req.http.Cookie;
    unset req.http.Authorization;
    set req.url = std.querysort(req.url);
    if (req.url ~ "[?&]lang=[^&]") {
        # ?lang= chooses the language: Accept-Language changes nothing, one object per URL.
        unset req.http.Accept-Language;
    } elsif (req.http.Accept-Language) {
        set req.http.Accept-Language = std.tolower(regsuball(req.http.Accept-Language, "\s+", ""));
    }
    return (hash);
}

sub vcl_hash {
    # The scheme the TLS proxy saw: absolute URLs in bodies carry it.
    hash_data(req.http.X-Forwarded-Proto);
    # Falls through to the built-in vcl_hash: URL and host.
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "public"
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Set-Cookie) {
        # Not for shared caches: fetch every time (remembered as such for two minutes).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Content-Type ~ "(json|text|javascript|xml)" && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    # Purges end an entry at once; grace only covers a slow refetch after max-age.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this cache, and s-maxage for shared caches purged by the app.
    unset resp.http.xkey;
    if (resp.http.Cache-Control) {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, ",?\s*s-maxage=\d+", "");
    }
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
