/// Turns the pieces of a definition into a `FieldProgram`: glues query
/// appendages onto the field before them, rejects fields with no literal
/// between them, keeps one field per fact (the lowest priority; the others are
/// skipped), and pairs each field with the literal that ends it.
enum FormatCompiler {
    /// `location` starts every message: "in --format" or "nginx.conf:12, log_format main".
    static func compile(_ pieces: [FormatPiece], escaping: LogEscaping, location: String) throws(FormatError) -> FieldProgram {
        // 1. Merge adjacent literals; glue appendages.
        var merged: [FormatPiece] = []
        for piece in pieces {
            switch piece {
            case .literal(let bytes):
                guard !bytes.isEmpty else { continue }
                if case .literal(let before)? = merged.last {
                    merged[merged.count - 1] = .literal(before + bytes)
                } else {
                    merged.append(piece)
                }
            case .field(let spec):
                if spec.appendsToPrevious, case .field? = merged.last { continue }
                var spec = spec
                if spec.appendsToPrevious { spec.target = .skip }
                merged.append(.field(spec))
            }
        }

        // 2. Pair each field with the literal after it.
        var leading: [UInt8] = []
        var fields: [(spec: FormatFieldSpec, literalAfter: [UInt8])] = []
        for piece in merged {
            switch piece {
            case .literal(let bytes):
                if fields.isEmpty { leading = bytes } else { fields[fields.count - 1].literalAfter = bytes }
            case .field(let spec):
                if let previous = fields.last, previous.literalAfter.isEmpty {
                    throw FormatError("\(location), column \(spec.column): \(spec.name) follows \(previous.spec.name) with nothing between them; corslog cannot tell where one ends")
                }
                fields.append((spec, []))
            }
        }
        guard !fields.isEmpty else {
            throw FormatError("\(location): the format has no fields (expected nginx $variables or Apache %directives)")
        }

        // 3. One field per fact.
        var best: [FieldTarget: Int] = [:]
        for (i, f) in fields.enumerated() where f.spec.target != .skip {
            if let j = best[f.spec.target], fields[j].spec.priority <= f.spec.priority { continue }
            best[f.spec.target] = i
        }
        for i in fields.indices where fields[i].spec.target != .skip && best[fields[i].spec.target] != i {
            fields[i].spec.target = .skip
        }
        return FieldProgram(leading: leading, fields: fields, escaping: escaping)
    }
}
