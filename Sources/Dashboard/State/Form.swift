import StacktopServices
import TerminalUI

/// One field of a form: what the user fills in before an action that needs more than a name.
public struct FormField: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        /// One of `options`; `selected` indexes it.
        case choice(options: [String], selected: Int)
        /// Any number of `options` (networks, security groups).
        case multiChoice(options: [String], selected: Set<Int>)
    }

    /// The option name the action receives (`--flavor`), so a form and the command line meet in one request.
    public var option: OptionKey
    public var label: String
    public var value: Value
    public var required: Bool
    /// One line under the form when the field has focus.
    public var help: String

    public init(option: OptionKey, label: String, value: Value, required: Bool = false, help: String = "") {
        self.option = option; self.label = label; self.value = value; self.required = required; self.help = help
    }

    /// The choice that means "none of these" (no key pair, no image).
    public static let none = "(none)"

    /// The value as the action's option; nil when empty. Several choices are joined with commas.
    public var optionValue: String? {
        switch value {
        case .text(let text):
            return text.isEmpty ? nil : text
        case .choice(let options, let selected):
            return options.indices.contains(selected) && options[selected] != Self.none ? options[selected] : nil
        case .multiChoice(let options, let selected):
            let chosen = options.indices.filter { selected.contains($0) }.map { options[$0] }
            return chosen.isEmpty ? nil : chosen.joined(separator: ",")
        }
    }
}

/// A form over the screen that ends in an `ActionRequest`, which then meets the same gate as any key.
public struct FormState: Sendable, Equatable {
    public var title: String
    public var request: ActionRequest
    public var fields: [FormField]
    public var focus = 0
    /// Lines shown above the fields (quota left for a launch, the current flavor for a resize).
    public var notes: [String]
    /// Why the last submit was refused.
    public var error: String?

    public init(title: String, request: ActionRequest, fields: [FormField], notes: [String] = []) {
        self.title = title; self.request = request; self.fields = fields; self.notes = notes
    }

    /// The request with every filled field as a typed option, or the sentence saying what is missing.
    public func completedRequest() -> Result<ActionRequest, FormError> {
        var request = self.request
        var typed: [OptionKey: String] = [:]
        for field in fields {
            guard let value = field.optionValue else {
                if field.required { return .failure(FormError(message: "\(field.label) is required.")) }
                continue
            }
            typed[field.option] = value
        }
        // A create names its target by the "name" field, as `KIND create NAME` does on the command line.
        if request.targets.isEmpty, let name = typed.removeValue(forKey: .name) { request.targets = [name] }
        // Parsed by the same schema as the command line: "--size wants a size in GiB…" before anything runs.
        do {
            request.options = try ActionSchema.values(from: typed, for: request.kind, request.action, requireAll: true)
        } catch {
            return .failure(FormError(message: error.description))
        }
        return .success(request)
    }

    public struct FormError: Error, Sendable, Equatable { public var message: String }

    public enum KeyResult: Sendable, Equatable { case editing, cancelled, submitted }

    /// Tab/↓ next field, Shift-Tab/↑ previous, ←→ change a choice, Space toggles in a list, typing
    /// edits text, Enter submits (from any field), Esc cancels.
    public mutating func handle(_ key: Key) -> KeyResult {
        error = nil
        switch key {
        case .escape, .ctrl("c"): return .cancelled
        case .enter: return .submitted
        case .tab, .down: focus = (focus + 1) % max(1, fields.count)
        case .backTab, .up: focus = (focus + max(1, fields.count) - 1) % max(1, fields.count)
        default: edit(key)
        }
        return .editing
    }

    private mutating func edit(_ key: Key) {
        guard fields.indices.contains(focus) else { return }
        var field = fields[focus]
        switch (field.value, key) {
        case (.text(let text), .character(let character)):
            field.value = .text(text + String(character))
        case (.text(let text), .backspace):
            field.value = .text(String(text.dropLast()))
        case (.text, .ctrl("u")):
            field.value = .text("")
        case (.choice(let options, let selected), .right), (.choice(let options, let selected), .character(" ")):
            field.value = .choice(options: options, selected: options.isEmpty ? 0 : (selected + 1) % options.count)
        case (.choice(let options, let selected), .left):
            field.value = .choice(options: options, selected: options.isEmpty ? 0 : (selected + options.count - 1) % options.count)
        case (.multiChoice(let options, var selected), .character(let character)) where character.isNumber:
            // Digits toggle the numbered entries: quick, and no hidden cursor inside the field.
            if let number = Int(String(character)), options.indices.contains(number - 1) {
                if selected.contains(number - 1) { selected.remove(number - 1) } else { selected.insert(number - 1) }
            }
            field.value = .multiChoice(options: options, selected: selected)
        default:
            return
        }
        fields[focus] = field
    }
}
