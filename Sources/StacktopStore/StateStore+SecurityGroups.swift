import StacktopModel

extension StateStore {
    /// Every group with its rules, rules in the order they were written.
    public func securityGroups() throws -> [SecurityGroup] { try withDatabase(Self.fetchSecurityGroups) }

    /// Inserts or updates the group by id and replaces its rules with `group.rules`.
    public func upsertSecurityGroup(_ group: SecurityGroup) throws {
        try write { db in
            try db.upsert("security_groups", key: "id", row: [
                "id": group.id, "name": group.name, "description": group.description, "project": group.project,
            ])
            try db.execute("DELETE FROM security_group_rules WHERE group_id = ?", group.id)
            for (position, rule) in group.rules.enumerated() {
                try Self.insertRule(rule, groupID: group.id, position: position, db)
            }
        }
    }

    /// Deletes the group and its rules.
    public func deleteSecurityGroup(id: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM security_groups WHERE id = ?", id) }
    }

    /// Appends one rule to an existing group.
    public func addSecurityGroupRule(_ rule: SecurityGroupRule, toGroup groupID: String) throws {
        try write { db in
            let next = try db.query("SELECT COALESCE(MAX(position) + 1, 0) FROM security_group_rules WHERE group_id = ?",
                                    groupID).first?.int(0) ?? 0
            try Self.insertRule(rule, groupID: groupID, position: next, db)
        }
    }

    public func deleteSecurityGroupRule(id: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM security_group_rules WHERE id = ?", id) }
    }

    private static func insertRule(_ rule: SecurityGroupRule, groupID: String, position: Int,
                                   _ db: SQLiteDatabase) throws(SQLiteError) {
        try db.execute("""
            INSERT INTO security_group_rules (id, group_id, position, direction, ethertype, protocol,
                port_min, port_max, remote_cidr, remote_group) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, rule.id, groupID, position, rule.direction.rawValue, rule.ethertype, rule.protocol,
            rule.portMin, rule.portMax, rule.remoteCIDR, rule.remoteGroup)
    }

    static func fetchSecurityGroups(_ db: SQLiteDatabase) throws(SQLiteError) -> [SecurityGroup] {
        var rulesByGroup: [String: [SecurityGroupRule]] = [:]
        for row in try db.query("""
            SELECT group_id, id, direction, ethertype, protocol, port_min, port_max, remote_cidr, remote_group
            FROM security_group_rules ORDER BY group_id, position
            """) {
            let rule = SecurityGroupRule(
                id: row.string(1), direction: SecurityGroupRule.Direction(rawValue: row.string(2)) ?? .ingress,
                ethertype: row.string(3), protocol: row.optionalString(4), portMin: row.optionalInt(5),
                portMax: row.optionalInt(6), remoteCIDR: row.optionalString(7), remoteGroup: row.optionalString(8))
            rulesByGroup[row.string(0), default: []].append(rule)
        }
        return try db.query("SELECT id, name, description, project FROM security_groups ORDER BY rowid").map { row in
            SecurityGroup(id: row.string(0), name: row.string(1), description: row.string(2),
                          project: row.optionalString(3), rules: rulesByGroup[row.string(0)] ?? [])
        }
    }
}
