#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
// For the eventfd that wakes CurlEventLoop; Glibc's Swift module does not export it.
#include <sys/eventfd.h>

// The transport loads libcurl with dlopen when the first network transport is made. It is not
// linked, because libcurl4 pulls in GnuTLS, Kerberos, LDAP and more, and every process would map
// and relocate them at start, including sessions on the built-in simulator that never use the
// network. They cost a short session about 4 MiB of peak memory (measured with libcurl 7.88 on
// Debian 12). The header still comes from libcurl4-openssl-dev.

// The libcurl functions the transport calls. __typeof__ takes each type from curl.h.
struct ccurl_library {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
    __typeof__(curl_multi_init) *multi_init;
    __typeof__(curl_multi_cleanup) *multi_cleanup;
    __typeof__(curl_multi_add_handle) *multi_add_handle;
    __typeof__(curl_multi_remove_handle) *multi_remove_handle;
    __typeof__(curl_multi_perform) *multi_perform;
    __typeof__(curl_multi_poll) *multi_poll;
    __typeof__(curl_multi_wakeup) *multi_wakeup;
    __typeof__(curl_multi_info_read) *multi_info_read;
    __typeof__(curl_multi_strerror) *multi_strerror;
};

#define CCURL_RESOLVE(member, symbol)                                                  \
    library->member = (__typeof__(library->member))dlsym(handle, symbol);              \
    if (library->member == NULL) {                                                     \
        *error = dlerror();                                                            \
        free(library);                                                                 \
        return NULL;                                                                   \
    }

// Opens the shared library at `path` and resolves every function. Returns a table that lives for
// the rest of the process, or NULL with `*error` set to dlerror's message.
static inline const struct ccurl_library *ccurl_load(const char *path, const char **error) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        *error = dlerror();
        return NULL;
    }
    struct ccurl_library *library = calloc(1, sizeof(struct ccurl_library));
    if (library == NULL) {
        *error = "out of memory";
        return NULL;
    }
    CCURL_RESOLVE(global_init, "curl_global_init")
    CCURL_RESOLVE(easy_init, "curl_easy_init")
    CCURL_RESOLVE(easy_cleanup, "curl_easy_cleanup")
    CCURL_RESOLVE(easy_setopt, "curl_easy_setopt")
    CCURL_RESOLVE(easy_getinfo, "curl_easy_getinfo")
    CCURL_RESOLVE(easy_strerror, "curl_easy_strerror")
    CCURL_RESOLVE(slist_append, "curl_slist_append")
    CCURL_RESOLVE(slist_free_all, "curl_slist_free_all")
    CCURL_RESOLVE(multi_init, "curl_multi_init")
    CCURL_RESOLVE(multi_cleanup, "curl_multi_cleanup")
    CCURL_RESOLVE(multi_add_handle, "curl_multi_add_handle")
    CCURL_RESOLVE(multi_remove_handle, "curl_multi_remove_handle")
    CCURL_RESOLVE(multi_perform, "curl_multi_perform")
    CCURL_RESOLVE(multi_poll, "curl_multi_poll")
    CCURL_RESOLVE(multi_wakeup, "curl_multi_wakeup")
    CCURL_RESOLVE(multi_info_read, "curl_multi_info_read")
    CCURL_RESOLVE(multi_strerror, "curl_multi_strerror")
    return library;
}

#undef CCURL_RESOLVE

// One wrapper per call, because Swift cannot call through a C function pointer field of a struct it
// cannot construct, nor call C variadic functions. Each curl_easy_setopt and curl_easy_getinfo
// argument type the transport uses gets a wrapper of its own.

static inline CURLcode ccurl_global_init(const struct ccurl_library *library, long flags) {
    return library->global_init(flags);
}

static inline CURL *ccurl_easy_init(const struct ccurl_library *library) {
    return library->easy_init();
}

static inline void ccurl_easy_cleanup(const struct ccurl_library *library, CURL *handle) {
    library->easy_cleanup(handle);
}

static inline CURLcode ccurl_easy_setopt_long(const struct ccurl_library *library, CURL *handle, CURLoption option,
                                              long value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_offset(const struct ccurl_library *library, CURL *handle,
                                                CURLoption option, curl_off_t value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(const struct ccurl_library *library, CURL *handle,
                                                CURLoption option, const char *value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(const struct ccurl_library *library, CURL *handle,
                                                 CURLoption option, void *value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_list(const struct ccurl_library *library, CURL *handle, CURLoption option,
                                              struct curl_slist *value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_write_function(const struct ccurl_library *library, CURL *handle,
                                                        CURLoption option, curl_write_callback value) {
    return library->easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_getinfo_long(const struct ccurl_library *library, CURL *handle, CURLINFO info,
                                               long *value) {
    return library->easy_getinfo(handle, info, value);
}

static inline const char *ccurl_easy_strerror(const struct ccurl_library *library, CURLcode code) {
    return library->easy_strerror(code);
}

static inline struct curl_slist *ccurl_slist_append(const struct ccurl_library *library, struct curl_slist *list,
                                                    const char *line) {
    return library->slist_append(list, line);
}

static inline void ccurl_slist_free_all(const struct ccurl_library *library, struct curl_slist *list) {
    library->slist_free_all(list);
}

static inline CURLM *ccurl_multi_init(const struct ccurl_library *library) {
    return library->multi_init();
}

static inline CURLMcode ccurl_multi_cleanup(const struct ccurl_library *library, CURLM *multi) {
    return library->multi_cleanup(multi);
}

static inline CURLMcode ccurl_multi_add_handle(const struct ccurl_library *library, CURLM *multi, CURL *handle) {
    return library->multi_add_handle(multi, handle);
}

static inline CURLMcode ccurl_multi_remove_handle(const struct ccurl_library *library, CURLM *multi, CURL *handle) {
    return library->multi_remove_handle(multi, handle);
}

static inline CURLMcode ccurl_multi_perform(const struct ccurl_library *library, CURLM *multi, int *running) {
    return library->multi_perform(multi, running);
}

static inline CURLMcode ccurl_multi_poll(const struct ccurl_library *library, CURLM *multi, int timeout_ms) {
    return library->multi_poll(multi, NULL, 0, timeout_ms, NULL);
}

// Waits like ccurl_multi_poll, and also for the `count` descriptors in `extra`, whose revents it sets.
static inline CURLMcode ccurl_multi_poll_extra(const struct ccurl_library *library, CURLM *multi,
                                               struct curl_waitfd *extra, unsigned int count, int timeout_ms) {
    return library->multi_poll(multi, extra, count, timeout_ms, NULL);
}

static inline CURLMcode ccurl_multi_wakeup(const struct ccurl_library *library, CURLM *multi) {
    return library->multi_wakeup(multi);
}

static inline CURLMsg *ccurl_multi_info_read(const struct ccurl_library *library, CURLM *multi, int *queued) {
    return library->multi_info_read(multi, queued);
}

static inline const char *ccurl_multi_strerror(const struct ccurl_library *library, CURLMcode code) {
    return library->multi_strerror(code);
}
