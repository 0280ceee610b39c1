import CLibvirt
import StacktopServices

/// Serial log, VNC display and serial console of a libvirt guest.
extension LocalCloudBackend: ConsoleAccess {
    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        let xml = try connection.domainXML(uuid: instanceID)
        let name = SerialLog.name(domainXML: xml) ?? instanceID
        guard let path = SerialLog.path(domainXML: xml) else {
            // Short enough for the status line at 120 columns with a usual name.
            throw BackendError.unavailable(feature: "serial log",
                                           reason: "\(name) has no serial log: its <serial> has no <log file=…/> "
                + "(add one with virsh edit); C opens the live console.")
        }
        if GraphicsDisplayResolver.uriHost(connection.uri) != nil {
            throw BackendError.unavailable(feature: "serial log",
                                           reason: "The serial log of \(name) is \(path) on the libvirt host, which stacktop "
                + "cannot read over \(connection.uri); run stacktop on that host to see it.")
        }
        return try SerialLog.tail(path: path, maxBytes: maxBytes, instanceName: name)
    }

    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        let xml = try connection.domainXML(uuid: instanceID)
        let host = GraphicsDisplayResolver.uriHost(connection.uri) ?? "localhost"
        return try GraphicsDisplayResolver.display(domainXML: xml, instanceName: SerialLog.name(domainXML: xml) ?? instanceID,
                                                   hostName: host, isRunning: isRunning(instanceID))
    }

    /// True unless libvirt says the domain is shut off, crashed or gone.
    private func isRunning(_ uuid: String) -> Bool {
        guard let domain = virDomainLookupByUUIDString(connection.handle, uuid) else { return false }
        defer { virDomainFree(domain) }
        var state: Int32 = 0, reason: Int32 = 0
        guard virDomainGetState(domain, &state, &reason, 0) == 0 else { return true }
        let value = UInt32(state)
        return value != VIR_DOMAIN_SHUTOFF.rawValue && value != VIR_DOMAIN_CRASHED.rawValue
    }

    public func openSerialConsole(instanceID: String, force: Bool) throws -> any SerialConsoleSession {
        try LibvirtConsole(connection: connection, uuid: instanceID, force: force)
    }
}
