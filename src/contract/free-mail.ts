/**
 * Email domains of free mailbox providers. A contact at one of these is a person, not a company: crmkit never
 * derives a company domain from them. An entry ending in `.*` matches that name under any top-level suffix
 * (`gmx.*` matches `gmx.de`, `gmx.net`, `gmx.co.uk`). The list is deliberately conservative: `zoho.com`,
 * `fastmail.com` and similar hosts also serve businesses on their own domains, so they are left out.
 *
 * @example
 * FREE_MAIL_DOMAINS.includes("gmail.com"); // true
 */
export const FREE_MAIL_DOMAINS: readonly string[] = [
  "gmail.com",
  "googlemail.com",
  "outlook.*",
  "hotmail.*",
  "live.*",
  "msn.com",
  "passport.com",
  "yahoo.*",
  "ymail.com",
  "rocketmail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.*",
  "aim.com",
  "proton.me",
  "protonmail.com",
  "protonmail.ch",
  "pm.me",
  "gmx.*",
  "web.de",
  "t-online.de",
  "freenet.de",
  "arcor.de",
  "mail.com",
  "email.com",
  "mail.ru",
  "inbox.ru",
  "list.ru",
  "bk.ru",
  "yandex.*",
  "ya.ru",
  "rambler.ru",
  "qq.com",
  "foxmail.com",
  "163.com",
  "126.com",
  "yeah.net",
  "sina.com",
  "sina.cn",
  "sohu.com",
  "aliyun.com",
  "naver.com",
  "hanmail.net",
  "daum.net",
  "tutanota.com",
  "tutanota.de",
  "tuta.io",
  "tuta.com",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "laposte.net",
  "sfr.fr",
  "libero.it",
  "virgilio.it",
  "tiscali.it",
  "seznam.cz",
  "wp.pl",
  "o2.pl",
  "interia.pl",
  "onet.pl",
  "rediffmail.com",
  "comcast.net",
  "verizon.net",
  "att.net",
  "sbcglobal.net",
  "btinternet.com",
  "virginmedia.com",
  "sky.com",
  "bigpond.com",
  "shaw.ca",
  "rogers.com",
  "uol.com.br",
  "bol.com.br",
  "terra.com.br",
];

const EXACT = new Set(FREE_MAIL_DOMAINS.filter((entry) => !entry.endsWith(".*")));
const FAMILIES = FREE_MAIL_DOMAINS.filter((entry) => entry.endsWith(".*")).map((entry) => entry.slice(0, -1));

/**
 * True when `domain` (already normalized: lower case, no `www.`) is a free mailbox provider from
 * {@link FREE_MAIL_DOMAINS}. A family entry (`gmx.*`) matches its name followed by a country or generic suffix,
 * so `gmx.de` and `gmx.co.uk` match while `gmx.example.com` and `mygmx.de` do not.
 *
 * @example
 * isFreeMailDomain("gmail.com"); // true
 * isFreeMailDomain("gmx.co.uk"); // true
 * isFreeMailDomain("example.com"); // false
 */
export function isFreeMailDomain(domain: string): boolean {
  if (EXACT.has(domain)) return true;
  for (const family of FAMILIES) {
    if (domain.startsWith(family) && isPublicSuffixLike(domain.slice(family.length))) return true;
  }
  return false;
}

// A suffix such as `de`, `co.uk` or `com.br`: one or two short labels. Longer tails (`gmx.example.com`) are
// someone's own domain, not the provider's country site.
function isPublicSuffixLike(suffix: string): boolean {
  const labels = suffix.split(".");
  if (labels.length === 1) return /^[a-z]{2,6}$/.test(labels[0]!);
  return labels.length === 2 && /^[a-z]{2,4}$/.test(labels[0]!) && /^[a-z]{2}$/.test(labels[1]!);
}
