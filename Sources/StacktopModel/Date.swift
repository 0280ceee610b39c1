// The model uses Foundation only for Date (FoundationEssentials keeps start-up cheap).
@_exported import struct FoundationEssentials.Date
