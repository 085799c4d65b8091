/* bench_baseline_libvirt URI: the like-for-like baseline of the idle benchmark (docs/benchmarks.md).
 * The least a program needs to learn of domain lifecycle events from a libvirt daemon, as hotseatd
 * does: libvirt's default event loop on a thread of its own, one connection, one lifecycle
 * callback and a close callback. No keepalive of its own: every wakeup it has while nothing
 * happens is one libvirt imposes on every event client (libvirtd's own keepalive pings, see
 * keepalive_interval in libvirtd.conf). Prints "ready" once connected, then idles until killed. */
#include <libvirt/libvirt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void* run_event_loop(void* unused) {
    (void)unused;
    for (;;) virEventRunDefaultImpl();
    return NULL;
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr domain, int event, int detail, void* opaque) {
    (void)conn, (void)opaque;
    printf("%s: event %d detail %d\n", virDomainGetName(domain), event, detail);
    return 0;
}

static void on_close(virConnectPtr conn, int reason, void* opaque) {
    (void)conn, (void)opaque;
    fprintf(stderr, "connection closed (reason %d)\n", reason);
    exit(EXIT_FAILURE);
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0) return EXIT_FAILURE;
    pthread_t loop;
    if (pthread_create(&loop, NULL, run_event_loop, NULL) != 0) return EXIT_FAILURE;
    virConnectPtr conn = virConnectOpen(argv[1]);
    if (!conn) return EXIT_FAILURE;
    if (virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, NULL) < 0 ||
        virConnectRegisterCloseCallback(conn, on_close, NULL, NULL) < 0)
        return EXIT_FAILURE;
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}
