/* classify.c: one post through the stages (language, sentiment, rules,
 * security checks, reach, priority), written as the "class" object. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "classify.h"

/* Codes a platform uses for "no language" or its own guesses. */
static const char *const untrusted_langs[] = {
	"und", "zxx", "qme", "qht", "qam", "qct", "qst", "mis", "mul", NULL
};

/* The primary subtag of a record's lang, lower case, with the codes
 * Twitter still uses mapped to BCP 47 ("in" -> "id"); 0 when unusable. */
static size_t
record_lang(struct cl_post *p, struct tend_record *rec, char *out,
    size_t size)
{
	const char *s = tend_record_get_str(rec, "lang", &p->field);
	size_t n = 0;

	if (!s)
		return 0;
	while (n + 1 < size && ((s[n] >= 'a' && s[n] <= 'z') ||
	    (s[n] >= 'A' && s[n] <= 'Z'))) {
		out[n] = (char)(s[n] | 0x20);
		n++;
	}
	out[n] = '\0';
	if ((s[n] && s[n] != '-' && s[n] != '_') || n < 2 || n > 3 ||
	    tend_word_in(out, untrusted_langs))
		return 0;
	if (strcmp(out, "in") == 0)
		memcpy(out, "id", 3);
	else if (strcmp(out, "iw") == 0)
		memcpy(out, "he", 3);
	return strlen(out);
}

/* The language of the post: the record's when it is trustworthy and the
 * detector is not confident of another; writes the code to out and
 * returns its index among the languages with data (-1: none). */
static int
choose_lang(const struct cl *cl, struct cl_post *p, struct tend_record *rec,
    char *out, size_t size)
{
	int confident, detected = cl_detect_lang(cl, p, &confident);
	size_t n = cl->lang_mode == CL_LANG_DETECT ? 0 :
	    record_lang(p, rec, out, size);

	if (n && (cl->lang_mode == CL_LANG_RECORD || detected < 0 ||
	    !confident))
		return cl_lang_find(cl, out, n);
	if (detected < 0) {
		snprintf(out, size, "und");
		return -1;
	}
	snprintf(out, size, "%s", cl->langs[detected]);
	return detected;
}

/* v to 4 decimals, trailing zeros cut ("-0.851", "13"), as %.10g would
 * print it rounded, without printf's cost on every record. */
static void
add_num(struct tend_buf *b, double v)
{
	long long n = llround(v * 10000), whole, frac;
	char digits[48], *d = digits + sizeof(digits);
	int places = 4;

	if (n < 0) {
		tend_buf_addc(b, '-');
		n = -n;
	}
	whole = n / 10000;
	frac = n % 10000;
	while (places > 0 && frac % 10 == 0 && frac) {
		frac /= 10;
		places--;
	}
	if (frac) {
		while (places-- > 0) {
			*--d = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--d = '.';
	}
	do
		*--d = (char)('0' + whole % 10);
	while ((whole /= 10) > 0);
	tend_buf_add(b, d, (size_t)(digits + sizeof(digits) - d));
}

static void
add_list(struct tend_buf *b, const char *key, const char *const *v,
    size_t n)
{
	size_t i;

	tend_buf_adds(b, ",\"");
	tend_buf_adds(b, key);
	tend_buf_adds(b, "\":[");
	for (i = 0; i < n; i++) {
		if (i)
			tend_buf_addc(b, ',');
		tend_json_add_string(b, v[i], strlen(v[i]));
	}
	tend_buf_addc(b, ']');
}

/* Adds s to a list of at most max distinct names. */
static void
add_name(const char **v, size_t *n, size_t max, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return;
	if (*n < max)
		v[(*n)++] = s;
}

struct verdict {
	char lang[16];
	int lex_lang;
	int label;			/* CL_NEGATIVE .. CL_POSITIVE */
	int category;			/* -1: other */
	double weight[8];
	double keyword_weight[8];	/* from rules with no sentiment
					 * condition: what the words say */
	const char *topics[32], *flags[32], *rules[64];
	size_t ntopics, nflags, nrules;
	struct cl_findings found;
	int band;			/* -1: not an influencer */
	double points;
	char priority[3];
	struct tend_buf why;		/* the priority's arithmetic */
	int explain;			/* write it down */
};

/*
 * The category a rule's weight counts for.  Praise meant the other way
 * ("love how it takes 3 weeks to send a card 🙃") is a complaint: in an
 * ironic post (cl_post.ironic) the praise rules count for complaint.
 */
static int
counts_for(const struct cl_post *p, int category)
{
	return category == CL_PRAISE && p->ironic ? CL_COMPLAINT : category;
}

static void
collect_rules(const struct cl *cl, const struct cl_post *p,
    struct verdict *v)
{
	size_t k;
	int c;

	v->category = -1;
	for (k = 0; k < p->ncandidates; k++) {	/* the fired are among them */
		const struct cl_rule *r = &cl->rules[p->candidates[k]];
		int how = p->fired[p->candidates[k]];

		if (!how)
			continue;
		if (r->sets == CL_SETS_CATEGORY && r->sentiment == -2)
			v->keyword_weight[counts_for(p, r->category)] +=
			    r->weight;
		if (how == CL_TONE_ONLY)
			continue;
		add_name(v->rules, &v->nrules, 64, r->id);
		if (r->sets == CL_SETS_CATEGORY)
			v->weight[counts_for(p, r->category)] += r->weight;
		else if (r->sets == CL_SETS_TOPIC)
			add_name(v->topics, &v->ntopics, 32, r->value);
		else
			add_name(v->flags, &v->nflags, 32, r->value);
	}
	for (c = 0; cl_categories[c]; c++)
		if (v->weight[c] > 0 && (v->category < 0 ||
		    v->weight[c] > v->weight[v->category]))
			v->category = c;
}

/*
 * A complaint stated flatly ("hair in my burger", "the parcel was sent
 * back without a call") has no sentiment term, or terms that cancel out
 * ("they cancelled my favourite show"), yet is no neutral post: when
 * keyword rules (not the sentiment fallbacks) weigh more for complaint
 * than for praise, and the terms leave the post neutral, a mild negative
 * term is added to its sum: where the terms are faint or mixed ("the
 * croissant was beautiful. shame it was raw in the middle"), the rules
 * say what the post is for.  Praise stated flatly ("honestly can't fault
 * the dog bed", "shoutout to MegaMart for their price freeze") gets a
 * mild positive one, when praise rules of PRAISE_AT or more make the post
 * praise (or would, on a post said to no one: CL_TONE_ONLY): thanks alone
 * (weight 1) are manners, not praise.  A post that exclaims twice or more
 * ("I GOT TICKETS!!!!!", "space station flew over 2nite, you could see it
 * from my backyard!!") about nothing any term, flat cue or keyword rule
 * knows, and asks nothing, is excited: it gets the positive prior too.
 */
#define RULES_PRIOR 1.5
#define PRAISE_AT 2

static void
rules_prior(const struct cl *cl, struct cl_post *p, struct verdict *v)
{
	double complaint = v->keyword_weight[CL_COMPLAINT];
	double praise = v->keyword_weight[CL_PRAISE], rules = 0, cues = 0;
	size_t c;

	if (v->label != CL_NEUTRAL)
		return;
	for (c = 0; c < sizeof(v->keyword_weight) /
	    sizeof(v->keyword_weight[0]); c++)
		rules += v->keyword_weight[c];
	for (c = 0; c < CL_NCUES; c++)
		cues += fabs(p->cue[c]);
	if (complaint > praise)
		cl_sentiment_add_cue(p, CL_CUE_COMPLAINT, -RULES_PRIOR);
	else if ((v->category == CL_PRAISE || v->category < 0) &&
	    praise >= PRAISE_AT && praise > complaint)
		cl_sentiment_add_cue(p, CL_CUE_PRAISE, RULES_PRIOR);
	else if (rules == 0 && cues == 0 && p->sum == 0 &&
	    !p->tokens.questions &&
	    p->tokens.exclamations >= 2)
		cl_sentiment_add_cue(p, CL_CUE_EXCITEMENT, RULES_PRIOR);
	else
		return;
	v->label = cl_label_of(cl, -1, p->score);
}

/*
 * Spam speaks for the spammer, not for a customer: "Congratulations! You
 * have won" is no praise of the brand.  A post the keyword rules call spam
 * gets a score of 0, its terms still shown by --explain.
 */
static void
spam_voice(struct cl_post *p, struct verdict *v)
{
	if (v->category < 0 || v->keyword_weight[v->category] <= 0 ||
	    strcmp(cl_categories[v->category], "spam") != 0 || p->score == 0)
		return;
	p->spam = 1;
	p->score = 0;
	v->label = CL_NEUTRAL;
}

static int
has_flag(const struct verdict *v, const char *flag)
{
	size_t i;

	for (i = 0; i < v->nflags; i++)
		if (strcmp(v->flags[i], flag) == 0)
			return 1;
	return 0;
}

static void
security_checks(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec,
    struct verdict *v)
{
	size_t i;

	cl_check_links(cl, p, rec, has_flag(v, "phishing.bait"), &v->found);
	cl_check_author(cl, p, rec, &v->found);
	if (v->category >= 0 && strcmp(cl_categories[v->category],
	    "spam") == 0 && (cl->brand.ndomains || cl->brand.nhandles ||
	    cl->brand.nhashtags))
		cl_check_hashtags(cl, p, rec, &v->found);
	for (i = 0; i < v->found.n; i++) {
		const char *id = v->found.id[i];

		add_name(v->rules, &v->nrules, 64, id);
		if (strncmp(id, "builtin.phishing.", 17) == 0)
			add_name(v->flags, &v->nflags, 32, "phishing");
		else if (strncmp(id, "builtin.impersonation.", 22) == 0)
			add_name(v->flags, &v->nflags, 32, "impersonation");
		else if (strcmp(id, "builtin.brand-misuse") == 0)
			add_name(v->flags, &v->nflags, 32, "brand_misuse");
	}
}

static void
reach(const struct cl *cl, struct tend_record *rec, struct verdict *v)
{
	const struct cl_scoring *sc = &cl->scoring;
	long long n = 0;
	int b;

	tend_record_get_int(rec, "author.followers", &n);
	v->band = -1;
	for (b = 0; b < 3; b++)
		if (n >= sc->band_followers[b])
			v->band = b;
	if (tend_record_is_true(rec, "author.verified") &&
	    v->band < sc->verified_band)
		v->band = sc->verified_band;
	if (v->band >= 0) {
		add_name(v->flags, &v->nflags, 32, "influencer");
		add_name(v->rules, &v->nrules, 64, "builtin.influencer");
	}
}

static void
add_points(struct verdict *v, double pts, const char *what)
{
	if (pts == 0)
		return;
	v->points += pts;
	if (v->explain)
		tend_buf_printf(&v->why, "%s%s %g", v->why.len ? " + " : "",
		    what, pts);
}

static void
priority(const struct cl *cl, double score, struct verdict *v)
{
	const struct cl_scoring *sc = &cl->scoring;
	size_t i, j;

	v->points = 0;
	if (v->category >= 0)
		add_points(v, sc->category_points[v->category],
		    cl_categories[v->category]);
	if (score <= sc->sentiment_at[0])
		add_points(v, sc->sentiment_points[0], "sentiment");
	else if (score <= sc->sentiment_at[1])
		add_points(v, sc->sentiment_points[1], "sentiment");
	for (i = 0; i < v->nflags; i++)
		for (j = 0; j < sc->nflags; j++)
			if (strcmp(v->flags[i], sc->flag_names[j]) == 0)
				add_points(v, sc->flag_points[j],
				    v->flags[i]);
	if (v->band >= 0)
		add_points(v, sc->band_points[v->band],
		    cl_band_names[v->band]);
	for (i = 0; i < 3; i++)
		if (v->points >= sc->priority_at[i])
			break;
	snprintf(v->priority, sizeof(v->priority), "P%d", (int)i + 1);
}

static void
write_class(const struct cl_post *p, const struct verdict *v,
    struct tend_buf *out)
{
	const char *category = v->category >= 0 ?
	    cl_categories[v->category] : "other";

	tend_buf_adds(out, "{\"category\":\"");
	tend_buf_adds(out, category);
	tend_buf_addc(out, '"');
	add_list(out, "topics", v->topics, v->ntopics);
	tend_buf_adds(out, ",\"sentiment\":{\"score\":");
	add_num(out, p->score);
	tend_buf_adds(out, ",\"label\":\"");
	tend_buf_adds(out, cl_label_names[v->label + 1]);
	tend_buf_adds(out, "\"},\"lang\":");
	tend_json_add_string(out, v->lang, strlen(v->lang));
	add_list(out, "flags", v->flags, v->nflags);
	if (v->band >= 0)
		tend_buf_printf(out, ",\"influencer\":\"%s\"",
		    cl_band_names[v->band]);
	tend_buf_adds(out, ",\"priority\":\"");
	tend_buf_adds(out, v->priority);
	tend_buf_addc(out, '"');
	add_list(out, "rules", v->rules, v->nrules);
}

static const char *const field_names[] = { "text", "handle", "name",
	"links" };

/* The explanation, as lines (text) or as members of "explain" (json). */
static void
write_explain(const struct cl *cl, const struct cl_post *p,
    const struct verdict *v, struct tend_buf *e, int json)
{
	/* each cue's --explain=json key and --explain words */
	static const struct {
		const char *key, *says;
	} cue_names[CL_NCUES] = {
		{ "quoted", "words quoted back" },
		{ "lone_negation", "a negation with nothing to turn round" },
		{ "echo", "a word echoed in capitals" },
		{ "complaint_prior", "a complaint by its rules" },
		{ "praise_prior", "praise by its rules" },
		{ "excitement", "exclaimed about nothing rated" },
	};
	size_t i, n;
	int c;

	tend_buf_reset(e);
	if (json)
		tend_buf_adds(e, ",\"explain\":{\"lang\":{");
	else
		tend_buf_printf(e, "lang %s (", v->lang);
	for (i = 1; i < cl->nlangs; i++) {
		if (i > 1)
			tend_buf_adds(e, json ? "," : ", ");
		if (json) {
			tend_json_add_string(e, cl->langs[i],
			    strlen(cl->langs[i]));
			tend_buf_addc(e, ':');
		} else
			tend_buf_printf(e, "%s ", cl->langs[i]);
		add_num(e, p->lang_score[i]);
	}
	tend_buf_adds(e, json ? "},\"matches\":[" : ")\n");
	for (i = 0, n = 0; i < p->nmatches; i++) {
		const struct cl_match *m = &p->matches[i];
		const char *src = m->field == CL_FIELD_TEXT ? p->text : NULL;
		char q[96];

		if (!p->fired[m->rule])
			continue;	/* matched, but excluded or out of scope */
		if (json) {
			tend_buf_printf(e, "%s{\"rule\":", n++ ? "," : "");
			tend_json_add_string(e, cl->rules[m->rule].id,
			    strlen(cl->rules[m->rule].id));
			tend_buf_printf(e, ",\"field\":\"%s\",\"start\":%zu,"
			    "\"end\":%zu", field_names[m->field], m->start,
			    m->end);
			if (src) {
				tend_buf_adds(e, ",\"match\":");
				tend_json_add_string(e, src + m->start,
				    m->end - m->start);
			}
			if (p->fired[m->rule] == CL_TONE_ONLY)
				tend_buf_adds(e, ",\"tone_only\":true");
			tend_buf_addc(e, '}');
			continue;
		}
		tend_buf_printf(e, "rule %s: %s %zu-%zu", cl->rules[m->rule].id,
		    field_names[m->field], m->start, m->end);
		if (src)
			tend_buf_printf(e, " \"%s\"", tend_error_quote(src +
			    m->start, m->end - m->start, q, sizeof(q)));
		if (p->fired[m->rule] == CL_TONE_ONLY)
			tend_buf_adds(e, " (said to no one: tone only)");
		tend_buf_addc(e, '\n');
	}
	tend_buf_adds(e, json ? "],\"sentiment\":{\"terms\":[" : "");
	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];
		const struct tend_token *k = &p->tokens.v[st->token];
		const struct tend_token *last = &p->tokens.v[st->last];
		size_t span = last->src + last->src_len - k->src;
		char q[96];

		if (json) {
			tend_buf_printf(e, "%s{\"term\":", i ? "," : "");
			tend_json_add_string(e, p->text + k->src, span);
			tend_buf_adds(e, ",\"valence\":");
			add_num(e, st->valence);
			tend_buf_adds(e, ",\"adjusted\":");
			add_num(e, st->adjusted);
			tend_buf_adds(e, ",\"why\":");
			tend_json_add_string(e, st->why, strlen(st->why));
			tend_buf_addc(e, '}');
			continue;
		}
		tend_buf_printf(e, "sentiment \"%s\" %g -> %.3f%s%s%s\n",
		    tend_error_quote(p->text + k->src, span, q,
		    sizeof(q)), st->valence, st->adjusted, *st->why ? " (" : "",
		    st->why, *st->why ? ")" : "");
	}
	if (json) {
		tend_buf_adds(e, "],\"sum\":");
		add_num(e, p->sum);
		tend_buf_adds(e, ",\"emphasis\":");
		add_num(e, p->emphasis);
		for (c = 0; c < CL_NCUES; c++)
			if (p->cue[c]) {
				tend_buf_printf(e, ",\"%s\":", cue_names[c].key);
				add_num(e, p->cue[c]);
			}
		if (p->spam)
			tend_buf_adds(e, ",\"spam\":true");
		if (p->mixed)
			tend_buf_adds(e, ",\"mixed\":true");
		if (p->ironic)
			tend_buf_adds(e, ",\"ironic\":true");
		cl_learned_explain(cl, p, e, 1);
		tend_buf_adds(e, "},\"found\":[");
	} else if (p->spam)
		tend_buf_printf(e, "sentiment sum %.3f: spam, not a customer's "
		    "feeling: score 0 neutral\n", p->sum);
	else {
		tend_buf_printf(e, "sentiment sum %.3f, emphasis %+.3f, ",
		    p->sum, p->emphasis);
		for (c = 0; c < CL_NCUES; c++)
			if (p->cue[c])
				tend_buf_printf(e, "%s %+.3f, ",
				    cue_names[c].says, p->cue[c]);
		if (p->learned) {
			tend_buf_printf(e, "lexicon score %.4f\n",
			    p->lexicon_score);
			cl_learned_explain(cl, p, e, 0);
			tend_buf_adds(e, ": ");
		}
		tend_buf_printf(e, "score %.4f %s%s%s\n", p->score,
		    cl_label_names[v->label + 1],
		    p->mixed ? ", mixed: praise weighed against fault" : "",
		    p->ironic ? ", ironic: praise rules count for complaint" :
		    "");
	}
	for (i = 0; i < v->found.n; i++) {
		if (json) {
			tend_buf_printf(e, "%s{\"id\":\"%s\",\"match\":", i ?
			    "," : "", v->found.id[i]);
			tend_json_add_string(e, v->found.detail[i],
			    strlen(v->found.detail[i]));
			tend_buf_addc(e, '}');
		} else {
			char q[160];

			tend_buf_printf(e, "found %s: \"%s\"\n", v->found.id[i],
			    tend_error_quote(v->found.detail[i],
			    strlen(v->found.detail[i]), q, sizeof(q)));
		}
	}
	if (json) {
		tend_buf_adds(e, "],\"priority\":");
		tend_json_add_string(e, v->why.data ? v->why.data : "",
		    v->why.len);
		tend_buf_adds(e, "}");
	} else
		tend_buf_printf(e, "priority %s: %s = %g\n", v->priority,
		    v->why.len ? v->why.data : "nothing", v->points);
	if (p->limit_rule && !json)
		tend_buf_printf(e, "rule %s: pattern hit the match limit\n",
		    p->limit_rule);
}

void
cl_classify(const struct cl *cl, struct cl_post *p, struct tend_record *r,
    struct tend_buf *out, struct tend_buf *explain)
{
	struct verdict v;

	memset(&v, 0, sizeof(v));
	tend_buf_init(&v.why);
	v.explain = cl->explain;
	if (!(p->text = tend_record_get_str(r, "text", &p->textbuf)))
		p->text = "";	/* an event may have none */
	p->text_len = strlen(p->text);
	p->reply = 0;
	tend_text_tokenize(&p->tokens, p->text, p->text_len, cl->emoticons,
	    cl->emoticon_max);
	cl_lookup_tokens(cl, p);
	v.lex_lang = choose_lang(cl, p, r, v.lang, sizeof(v.lang));
	p->lex_lang = v.lex_lang;
	cl_sentiment(cl, p, v.lex_lang);
	v.label = cl_label_of(cl, -1, p->score);
	cl_match_rules(cl, p, r, v.lex_lang, v.label);
	collect_rules(cl, p, &v);
	rules_prior(cl, p, &v);
	cl_learned_apply(cl, p, v.lex_lang);
	v.label = cl_label_of(cl, v.lex_lang, p->score);
	spam_voice(p, &v);
	security_checks(cl, p, r, &v);
	reach(cl, r, &v);
	priority(cl, p->score, &v);
	tend_buf_reset(out);
	write_class(p, &v, out);
	if (cl->explain)
		write_explain(cl, p, &v, explain, cl->explain == 2);
	if (cl->explain == 2)
		tend_buf_add(out, explain->data, explain->len);
	tend_buf_addc(out, '}');
	tend_buf_release(&v.why);
}

int
cl_text_tone(const struct cl *cl, struct cl_post *p, const char *text,
    size_t n, const char *lang, double *score)
{
	int detected, confident, lex;

	p->text = text;
	p->text_len = n;
	p->reply = 1;
	tend_text_tokenize(&p->tokens, text, n, cl->emoticons,
	    cl->emoticon_max);
	cl_lookup_tokens(cl, p);
	detected = cl_detect_lang(cl, p, &confident);
	lex = lang ? cl_lang_find(cl, lang, strlen(lang)) : detected;
	cl_sentiment(cl, p, lex);
	*score = p->score;
	return detected;
}
