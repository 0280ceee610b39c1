/// How `CellBufferExport.svg` lays out the grid. The defaults are a dark editor-like palette and
/// the cell size of a 14 px DejaVu Sans Mono.
public struct SVGExportOptions: Sendable, Equatable {
    /// What `Color.default` becomes: the terminal's own colours in the picture.
    public var defaultForeground: Color
    public var defaultBackground: Color
    public var cellWidth: Double
    public var cellHeight: Double
    public var fontSize: Double
    public var fontFamily: String

    public init(defaultForeground: Color = .rgb(0xD4, 0xD4, 0xD4), defaultBackground: Color = .rgb(0x1E, 0x1E, 0x1E),
                cellWidth: Double = 8.4, cellHeight: Double = 17, fontSize: Double = 14,
                fontFamily: String = "DejaVu Sans Mono, Menlo, Consolas, monospace") {
        self.defaultForeground = defaultForeground; self.defaultBackground = defaultBackground
        self.cellWidth = cellWidth; self.cellHeight = cellHeight
        self.fontSize = fontSize; self.fontFamily = fontFamily
    }
}

extension CellBufferExport {
    /// The buffer as an SVG picture of a terminal: a background, one rectangle per run of
    /// non-default background, and one `<text>` per row whose `<tspan>`s carry an x position for
    /// every character, so columns line up even where the font falls back for box drawing or CJK.
    public static func svg(_ buffer: CellBuffer, title: String, options: SVGExportOptions = SVGExportOptions()) -> String {
        SVGWriter(buffer: buffer, options: options).document(title: title)
    }
}

private struct RGB: Equatable {
    var r: Int, g: Int, b: Int

    init(_ color: Color, fallback: RGB) {
        if let value = color.rgbValue { self.init(r: Int(value.r), g: Int(value.g), b: Int(value.b)) } else { self = fallback }
    }

    init(r: Int, g: Int, b: Int) { self.r = r; self.g = g; self.b = b }

    /// `self` faded towards `other`: how a terminal shows dim text.
    func mixed(with other: RGB, amount: Double) -> RGB {
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) * (1 - amount) + Double(b) * amount).rounded()) }
        return RGB(r: mix(r, other.r), g: mix(g, other.g), b: mix(b, other.b))
    }

    var hex: String {
        "#" + [r, g, b].map { component in
            let digits = String(component, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

private struct SVGWriter {
    let buffer: CellBuffer
    let options: SVGExportOptions
    let foreground: RGB
    let background: RGB

    init(buffer: CellBuffer, options: SVGExportOptions) {
        self.buffer = buffer
        self.options = options
        foreground = RGB(options.defaultForeground, fallback: RGB(r: 0xD4, g: 0xD4, b: 0xD4))
        background = RGB(options.defaultBackground, fallback: RGB(r: 0x1E, g: 0x1E, b: 0x1E))
    }

    /// What a cell looks like once defaults, reverse and dim are resolved.
    private struct Look: Equatable {
        var foreground: RGB, background: RGB, bold: Bool, underline: Bool
    }

    private func look(_ style: Style) -> Look {
        var fg = RGB(style.foreground, fallback: foreground)
        var bg = RGB(style.background, fallback: background)
        if style.reverse { swap(&fg, &bg) }
        if style.dim { fg = fg.mixed(with: bg, amount: 0.4) }
        return Look(foreground: fg, background: bg, bold: style.bold, underline: style.underline)
    }

    func document(title: String) -> String {
        let width = number(Double(buffer.size.width) * options.cellWidth)
        let height = number(Double(buffer.size.height) * options.cellHeight)
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" xml:space="preserve">
        <title>\(escape(title))</title>
        <rect width="\(width)" height="\(height)" fill="\(background.hex)"/>

        """
        svg += "<g shape-rendering=\"crispEdges\">\n"
        for y in 0..<buffer.size.height { svg += backgroundRects(row: y) }
        svg += "</g>\n"
        svg += "<g font-family=\"\(escape(options.fontFamily))\" font-size=\"\(number(options.fontSize))\" fill=\"\(foreground.hex)\">\n"
        for y in 0..<buffer.size.height { svg += textRow(y) }
        svg += "</g>\n</svg>\n"
        return svg
    }

    /// One rectangle per run of equal non-default background on the row.
    private func backgroundRects(row y: Int) -> String {
        var output = ""
        var x = 0
        while x < buffer.size.width {
            let colour = look(buffer[x, y].style).background
            var end = x + 1
            while end < buffer.size.width, look(buffer[end, y].style).background == colour { end += 1 }
            if colour != background {
                output += "<rect x=\"\(number(Double(x) * options.cellWidth))\" y=\"\(number(Double(y) * options.cellHeight))\" "
                    + "width=\"\(number(Double(end - x) * options.cellWidth))\" height=\"\(number(options.cellHeight))\" fill=\"\(colour.hex)\"/>\n"
            }
            x = end
        }
        return output
    }

    private struct Segment {
        var look: Look
        var characters: [(x: Int, character: Character)]
    }

    /// Runs of equal look become tspans. A plain space is invisible, so up to two of them may sit
    /// inside a run of any look; longer gaps end the run to keep the x lists short. A character that
    /// is not one BMP scalar gets a tspan of its own, because SVG counts x positions per code unit.
    private func textRow(_ y: Int) -> String {
        var segments: [Segment] = []
        var current: Segment?
        var pendingSpaces: [Int] = []

        func flush() {
            if let segment = current { segments.append(segment) }
            current = nil
            pendingSpaces = []
        }

        for x in 0..<buffer.size.width {
            let cell = buffer[x, y]
            if cell.isContinuation { continue }
            let cellLook = look(cell.style)
            if cell.character == " " && !cellLook.underline {
                if current != nil { pendingSpaces.append(x) }
                if pendingSpaces.count > 2 { flush() }
                continue
            }
            let character = SGR.printable(cell.character)
            let simple = character.unicodeScalars.count == 1 && character.unicodeScalars.first!.value < 0x10000
            if var segment = current, segment.look == cellLook, simple {
                segment.characters += pendingSpaces.map { ($0, " ") }
                segment.characters.append((x, character))
                current = segment
                pendingSpaces = []
            } else {
                flush()
                current = Segment(look: cellLook, characters: [(x, character)])
                if !simple { flush() }
            }
        }
        flush()
        guard !segments.isEmpty else { return "" }

        let baseline = number(Double(y) * options.cellHeight + (options.cellHeight * 0.78).rounded())
        var output = "<text y=\"\(baseline)\">"
        for segment in segments {
            let positions = segment.characters.map { number(Double($0.x) * options.cellWidth) }.joined(separator: " ")
            output += "<tspan x=\"\(positions)\""
            if segment.look.foreground != foreground { output += " fill=\"\(segment.look.foreground.hex)\"" }
            if segment.look.bold { output += " font-weight=\"bold\"" }
            if segment.look.underline { output += " text-decoration=\"underline\"" }
            output += ">" + escape(String(segment.characters.map(\.character))) + "</tspan>"
        }
        return output + "</text>\n"
    }

    /// At most two decimals, no trailing zeros: "8.4", "16.8", "17".
    private func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100, fraction = abs(hundredths % 100)
        if fraction == 0 { return String(whole) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return (hundredths < 0 && whole == 0 ? "-" : "") + String(whole) + "." + digits
    }
}

/// Text safe inside XML content and double-quoted attributes. Characters XML 1.0 forbids
/// (control characters other than tab and newline) become U+FFFD.
private func escape(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "\t", "\n": output.unicodeScalars.append(scalar)
        default:
            let v = scalar.value
            if v < 0x20 || v == 0xFFFE || v == 0xFFFF { output += "\u{FFFD}" } else { output.unicodeScalars.append(scalar) }
        }
    }
    return output
}
