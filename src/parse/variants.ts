/*
 * Offset-preserving parse variants: how the tool reads kernel C that
 * tree-sitter cannot parse as written.
 *
 * Real kernel code never parses cleanly (spec §5): `#if`/`#else` arms that
 * split a statement, or a macro taking a type (`mtod(m, struct ip *)`), can
 * turn a whole 1,000-line function into one ERROR node. Coccinelle still
 * edits such functions, because it expands conditionals and knows macros.
 * We get the same reach by parsing a few variants of the text in which
 *   - type-shaped macro arguments and queue-head type macros are masked with
 *     an identifier of the same length, and the attribute macros of
 *     <sys/cdefs.h> (`void *dummy __unused`, `__aligned(8)`), which the
 *     grammar takes for a second declarator, are blanked, and iterator
 *     macros before a statement (`TAILQ_FOREACH(x, h, f) {`) read as
 *     `while` ("masked": the same text the output sanity check parses), and
 *   - for every conditional, one arm is kept and the other arms and all
 *     conditional directive lines are blanked to spaces ("arm k": arm k of
 *     each conditional, or its last arm when it has fewer).
 * Every variant has exactly the original length and newlines, so a node's
 * offsets in any variant are byte offsets in the original file, and edits
 * computed from a variant apply to the original bytes. A site is trusted
 * only if some variant parses it outside any ERROR node.
 */
import { allConditionals, Lexed, matchParen, splitArguments, Token } from '../lex/lexer';
import { parseC, SyntaxNode, Tree } from './parser';

export interface Variant {
	name: string;
	text: string;
	tree: Tree;
}

const NOT_MACROS = new Set([
	'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof', '__typeof__',
	'_Alignof', '__alignof__', '__alignof', 'alignof', '__attribute__', '__attribute', 'asm',
	'__asm', '__asm__', 'defined', '_Static_assert', 'static_assert', '_Generic', '__extension__',
]);

const TYPE_KEYWORDS = new Set([
	'int', 'char', 'short', 'long', 'unsigned', 'signed', 'void', 'float', 'double', '_Bool',
	'__int128', 'const', 'volatile',
]);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const']);
const TAG_KEYWORDS = new Set(['struct', 'union', 'enum']);

/**
 * Whether a macro argument is, by its token shape, a type name rather than
 * an expression: `struct ip *`, `union u`, `u_char *`, `unsigned long`.
 */
export function looksLikeTypeName(arg: Token[]): boolean {
	let end = arg.length;
	let stars = 0;
	while (end > 0 && arg[end - 1].kind === 'punct' && arg[end - 1].text === '*') {
		end--;
		stars++;
		while (end > 0 && QUALIFIERS.has(arg[end - 1].text)) end--;
	}
	const core = arg.slice(0, end).filter((t) => !QUALIFIERS.has(t.text) || TYPE_KEYWORDS.has(t.text));
	if (core.length === 0) return false;
	if (TAG_KEYWORDS.has(core[0].text)) {
		return core.length === 2 && core[1].kind === 'ident';
	}
	if (core.every((t) => t.kind === 'ident' && TYPE_KEYWORDS.has(t.text))) {
		// A lone `void` is a prototype's empty parameter list, not a macro argument.
		return !(core.length === 1 && core[0].text === 'void' && stars === 0);
	}
	// `name *`: a pointer type, since an expression cannot end in `*`.
	return stars > 0 && core.length === 1 && core[0].kind === 'ident';
}

/** queue(3)/tree(3) macros that expand to a type: `TAILQ_HEAD(name, type)`, `LIST_ENTRY(type)`. */
export function isTypeMacroName(name: string): boolean {
	return /^[A-Z][A-Z0-9]*_(HEAD|ENTRY)$/.test(name);
}

/** Writes an identifier of the same length over [start, end): underscores up to the first newline, then spaces. */
function maskAsIdentifier(buf: Buffer, start: number, end: number): void {
	let sawNewline = false;
	for (let k = start; k < end; k++) {
		const c = buf[k];
		if (c === 10) {
			sawNewline = true;
			continue;
		}
		buf[k] = sawNewline ? 32 : 95;
	}
}

function blank(buf: Buffer, start: number, end: number): void {
	for (let k = start; k < end; k++) {
		if (buf[k] !== 10) buf[k] = 32;
	}
}

/** <sys/cdefs.h> attribute macros that take no arguments: `void *dummy __unused`. */
const ATTRIBUTE_MACROS = new Set([
	'__unused', '__used', '__dead2', '__pure', '__pure2', '__packed', '__noinline', '__always_inline',
	'__malloc_like', '__result_use_check', '__returns_twice', '__weak_symbol',
]);
/** <sys/cdefs.h> attribute macros with arguments: `__aligned(CACHE_LINE_SIZE)`, `__printflike(1, 2)`. */
const ATTRIBUTE_MACROS_WITH_ARGUMENTS = new Set([
	'__aligned', '__section', '__printflike', '__scanflike', '__format_arg', '__nonnull', '__alloc_size', '__alloc_align',
]);

/** Masks type-shaped macro arguments and type macros in declarations; returns whether anything changed. */
export function applyTypeMasks(buf: Buffer, tokens: Token[]): boolean {
	let changed = false;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind === 'ident' && t.text.startsWith('__')) {
			const args = tokens[i + 1]?.text === '(';
			if (ATTRIBUTE_MACROS.has(t.text) && !args) {
				blank(buf, t.start, t.end);
				changed = true;
				continue;
			}
			const close = args && ATTRIBUTE_MACROS_WITH_ARGUMENTS.has(t.text) ? matchParen(tokens, i + 1) : -1;
			if (close !== -1) {
				blank(buf, t.start, tokens[close].end);
				changed = true;
				i = close;
				continue;
			}
		}
		if (i + 1 >= tokens.length) break;
		if (t.kind !== 'ident' || tokens[i + 1].text !== '(' || NOT_MACROS.has(t.text)) continue;
		const close = matchParen(tokens, i + 1);
		if (close === -1) continue;
		const next = tokens[close + 1];
		// `VNET_DEFINE(type, name[bounds])`: a declaration of `name`; the macro and type become one type name.
		if ((t.text === 'VNET_DEFINE' || t.text === 'VNET_DECLARE') && !t.text.includes('\n')) {
			const args = splitArguments(tokens, i + 1, close);
			if (args.length === 2 && args[0].length > 0 && args[1].length > 0) {
				maskAsIdentifier(buf, t.start, tokens[i + 1].end);
				maskAsIdentifier(buf, args[0][0].start, args[0][args[0].length - 1].end);
				const comma = tokens.findIndex((x, k) => k > i && x.start >= args[0][args[0].length - 1].end && x.text === ',');
				if (comma !== -1) buf[tokens[comma].start] = 95;
				// Join `VNET_DEFINE(` , type and `,` into one identifier, then the name; `)` becomes a space.
				for (let k = t.start; k < args[1][0].start - 1; k++) if (buf[k] === 32 || buf[k] === 9) buf[k] = 95;
				buf[tokens[close].start] = 32;
				changed = true;
				i = close;
				continue;
			}
		}
		if (isTypeMacroName(t.text) && next && (next.kind === 'ident' || next.text === '*')) {
			maskAsIdentifier(buf, t.start, tokens[close].end);
			changed = true;
			i = close;
			continue;
		}
		for (const arg of splitArguments(tokens, i + 1, close)) {
			if (looksLikeTypeName(arg)) {
				maskAsIdentifier(buf, arg[0].start, arg[arg.length - 1].end);
				changed = true;
			}
		}
	}
	return changed;
}

/** Keeps arm `k` (or the last arm) of every conditional and blanks the rest and the directive lines. */
function selectArms(buf: Buffer, lexed: Lexed, k: number): void {
	const visit = (cs: typeof lexed.conditionals) => {
		for (const c of cs) {
			const keep = Math.min(k, c.arms.length - 1);
			c.arms.forEach((arm, idx) => {
				blank(buf, arm.directive.lineStart, arm.directive.end);
				if (idx !== keep) blank(buf, arm.start, arm.end);
			});
			if (c.endif) blank(buf, c.endif.lineStart, c.endif.end);
			visit(c.children.filter((child) => {
				const arm = c.arms[keep];
				return child.start >= arm.start && child.start < arm.end;
			}));
		}
	};
	visit(lexed.conditionals);
}

/** `XXX_FOREACH`, `XXX_FOREACH_SAFE`, `XXX_FOREACH_REVERSE_FROM`, ...: loop headers by the kernel's naming convention. */
export function isIteratorMacroName(name: string): boolean {
	return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_FOREACH(_[A-Z0-9]+)*$/.test(name);
}

/** Rewrites each iterator macro followed by a statement as `while` plus spaces (same length). */
export function maskIteratorMacros(buf: Buffer, lexed: Lexed): boolean {
	const tokens = lexed.tokens;
	let changed = false;
	for (let i = 0; i + 1 < tokens.length; i++) {
		const t = tokens[i];
		if (t.kind !== 'ident' || tokens[i + 1].text !== '(' || !isIteratorMacroName(t.text)) continue;
		const close = matchParen(tokens, i + 1);
		if (close === -1) continue;
		const next = tokens[close + 1];
		// Tokens are ordinary code (directives are apart); a use ending in `;` is no loop header.
		if (!next || next.text === ';' || next.text === ')' || next.text === ',') continue;
		buf.write('while', t.start, 'latin1');
		for (let k = t.start + 5; k < t.end; k++) buf[k] = 32;
		changed = true;
	}
	return changed;
}

const MAX_ARM_VARIANTS = 6;

/**
 * The variants of one file, in order: original, masked, then one per
 * conditional arm index; each parsed when first asked for (`find` asks in
 * order, the index scan asks for the masked one first).
 */
export class ParseVariants {
	/** Parsed variants by plan index (sparse: asking for one parses only that one). */
	private readonly built: Array<Variant | undefined> = [];
	private readonly plan: Array<() => Variant | undefined>;
	/** Index of the masked variant in the plan: the original's when nothing needed masking. */
	private readonly maskedIndex: number;

	constructor(readonly text: string, lexed: Lexed) {
		const masked = Buffer.from(text, 'latin1');
		const typeMasks = applyTypeMasks(masked, lexed.tokens);
		const hasMasks = maskIteratorMacros(masked, lexed) || typeMasks;
		this.maskedIndex = hasMasks ? 1 : 0;
		const maxArms = Math.min(
			MAX_ARM_VARIANTS,
			allConditionals(lexed).reduce((m, c) => Math.max(m, c.arms.length), 0),
		);
		this.plan = [() => this.make('original', text)];
		if (hasMasks) this.plan.push(() => this.make('masked', masked.toString('latin1')));
		for (let k = 0; k < maxArms; k++) {
			this.plan.push(() => {
				const buf = Buffer.from(masked);
				selectArms(buf, lexed, k);
				return this.make(`arm ${k}`, buf.toString('latin1'));
			});
		}
	}

	private make(name: string, text: string): Variant {
		return { name, text, tree: parseC(text) };
	}

	/**
	 * The file with every known macro masked (the original when none is):
	 * the reading the output sanity check compares, parsed on first request.
	 */
	masked(): Variant {
		return this.get(this.maskedIndex);
	}

	get count(): number {
		return this.plan.length;
	}

	/** The k-th variant, parsed on first request (alone: the ones before it are not parsed for it). */
	get(k: number): Variant {
		let v = this.built[k];
		if (!v) {
			if (k < 0 || k >= this.plan.length) throw new Error('variant plan exhausted');
			v = this.plan[k]();
			if (!v) throw new Error('variant plan exhausted');
			this.built[k] = v;
		}
		return v;
	}

	/** Variants parsed so far, in plan order (no new parsing). */
	parsed(): readonly Variant[] {
		return this.built.filter((v): v is Variant => v !== undefined);
	}

	/**
	 * The first variant in which `accept` finds what it looks for, with its
	 * result; parses further variants only as needed.
	 */
	find<T>(accept: (v: Variant) => T | undefined): { variant: Variant; value: T } | undefined {
		for (const k of this.order()) {
			const v = this.get(k);
			const value = accept(v);
			if (value !== undefined) return { variant: v, value };
		}
		return undefined;
	}

	/**
	 * Plan indices in the order `find` tries them: the masked variant first (it reads
	 * everything the original does, and the macros the grammar cannot), then the rest.
	 */
	private order(): number[] {
		const rest = this.plan.map((_, k) => k).filter((k) => k !== this.maskedIndex);
		return [this.maskedIndex, ...rest];
	}

	/** Runs `f` over every variant (parsing all of them). */
	all(): Variant[] {
		for (let k = 0; k < this.plan.length; k++) this.get(k);
		return this.built as Variant[];
	}
}

/** The `function_definition` starting at `start` in a variant's tree, if that variant has one. */
export function functionIn(v: Variant, start: number): SyntaxNode | undefined {
	for (let n: SyntaxNode | null = v.tree.rootNode.descendantForIndex(start); n; n = n.parent) {
		if (n.type === 'function_definition' && n.startIndex === start) return n;
	}
	return undefined;
}

export type { SyntaxNode };
