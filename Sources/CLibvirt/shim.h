#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

// VIR_DOMAIN_EVENT_CALLBACK is a cast macro that does not import into Swift.
static inline virConnectDomainEventGenericCallback stacktop_lifecycle_callback_cast(virConnectDomainEventCallback cb) {
    return (virConnectDomainEventGenericCallback)cb;
}
