/**
 * buildLabReport(): a lab report draft that follows the sections of the students' report
 * (requirements, the web server and page, the TCP and HTTP headers, the handshake, the HTTP
 * exchange and the teardown), filled with this capture's frames and values, in zh-CN or en.
 * One block list is rendered both as Markdown and as a standalone HTML page (inline CSS,
 * escaped text, the flow graph as inline SVG, no external resources).
 */
import type { DissectedPacket } from '../dissect/context';
import { formatTreeText } from '../dissect/print';
import { findFieldNodes, formatFieldValue, nodeLabel, type ProtoNode } from '../dissect/tree';
import { explainLab, type ExplainSection, type LabLang } from '../analysis/lab/explain';
import { buildFlowGraph, escapeXml, flowGraphSvg, SVG_FONT_FAMILY } from '../analysis/lab/flow-graph';
import { diagramNodes, diagramSvg, layoutLayer, type DiagramNode } from '../diagram';
import { followHttpStream, type HttpMessage } from '../analysis/lab/stream';
import type { LabAnalysis, LabConnection } from '../analysis/lab/types';
import { scenarioSection } from './scenario-section';

export interface ReportProfile {
  major: string;
  studentId: string;
  name: string;
}

export interface ReportScreenshot {
  name: string;
  /** Path relative to the report (linked from Markdown and HTML). */
  path: string;
  caption: string;
  /** A data: URL to embed in the HTML instead of linking the file (keeps the HTML self-contained). */
  dataUrl?: string;
}

export interface LabReportInput {
  analysis: LabAnalysis;
  packets: readonly DissectedPacket[];
  profile?: ReportProfile;
  lang: LabLang;
  screenshots?: readonly ReportScreenshot[];
  served?: { html?: string };
  /** File name the Markdown uses for the flow graph (default "flow-graph.svg"). */
  flowGraphFile?: string;
  theme?: 'light' | 'dark';
}

export interface LabReport {
  markdown: string;
  html: string;
  /** The flow graph, to be written next to report.md as `flowGraphFile`. */
  flowGraphSvg: string;
}

type Block =
  | { t: 'h1' | 'h2' | 'h3' | 'h4'; text: string; id?: string }
  | { t: 'p'; text: string }
  | { t: 'meta'; lines: string[] }
  | { t: 'list'; items: string[]; ordered?: boolean }
  | { t: 'code'; text: string }
  | { t: 'image'; src: string; alt: string; caption: string; dataUrl?: string }
  | { t: 'svg'; svg: string; file: string; caption: string };

/**
 * The packet diagram of one header (the RFC-style grid the window's Packet Diagram pane draws), as an
 * SVG block: inline in the HTML, a data: URL in the Markdown (so report.md needs no extra file).
 */
function headerDiagram(layers: readonly DiagramNode[], node: ProtoNode | undefined, caption: string): Block[] {
  const abbrev = node?.field?.abbrev;
  const layer = abbrev ? layers.find((l) => l.field === abbrev) : undefined;
  if (!layer || layer.length <= 0) return [];
  const svg = diagramSvg([layoutLayer(layer)]);
  return [{ t: 'svg', svg, file: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, caption }];
}

function packetLine(p: DissectedPacket): string {
  return [
    p.number,
    p.timeRelative.toFixed(6),
    p.columns.source,
    p.columns.destination,
    p.columns.protocol,
    p.record.originalLength,
    p.columns.info,
  ].join('\t');
}

/** Wireshark's detail pane with one top-level layer expanded and the others collapsed. */
function treeWithExpanded(tree: readonly ProtoNode[], expand: (node: ProtoNode) => boolean): string {
  const lines: string[] = [];
  for (const node of tree) {
    if (node.hidden) continue;
    if (expand(node)) {
      const text = formatTreeText([node]).split('\n');
      lines.push(`▼ ${text[0]}`);
      for (const l of text.slice(1)) lines.push(`  ${l}`);
    } else {
      lines.push(`> ${nodeLabel(node)}`);
    }
  }
  return lines.join('\n');
}

function fieldText(tree: readonly ProtoNode[], abbrev: string): string | undefined {
  const n = findFieldNodes(tree, abbrev)[0];
  if (!n || n.value === undefined || !n.field) return undefined;
  return formatFieldValue(n.field, n.value);
}

function section(s: ExplainSection | undefined): Block[] {
  if (!s) return [];
  return s.paragraphs.map((p) => ({ t: 'p', text: p.text }) as Block);
}

function findSection(sections: readonly ExplainSection[], prefix: string): ExplainSection | undefined {
  return sections.find((s) => s.id === prefix || s.id.startsWith(prefix + '-'));
}

export function buildLabReport(input: LabReportInput): LabReport {
  const { analysis, packets, lang } = input;
  const zh = lang === 'zh-CN';
  const p = (a: string, b: string) => (zh ? a : b);
  const byNumber = new Map<number, DissectedPacket>();
  for (const pk of packets) byNumber.set(pk.number, pk);
  const explanation = explainLab(analysis, lang);
  const sections = explanation.sections;
  const main: LabConnection | undefined = analysis.connections.find((c) => c.stream === analysis.mainStream);
  const flowFile = input.flowGraphFile ?? 'flow-graph.svg';
  const graph = buildFlowGraph(packets, { analysis });
  const svg = flowGraphSvg(graph, { lang, theme: input.theme ?? 'light' });
  const serverText = main
    ? main.server.address.includes(':')
      ? `[${main.server.address}]:${main.server.port}`
      : `${main.server.address}:${main.server.port}`
    : `127.0.0.1:${analysis.serverPort ?? 8001}`;
  const blocks: Block[] = [];

  blocks.push({ t: 'h1', text: p('计算机网络实验报告', 'Computer Networks Lab Report') });
  const prof = input.profile;
  blocks.push({
    t: 'meta',
    lines: [
      `${p('专业', 'Major')}${p('：', ': ')}${prof?.major ?? ''}`,
      `${p('学号', 'Student ID')}${p('：', ': ')}${prof?.studentId ?? ''}`,
      `${p('姓名', 'Name')}${p('：', ': ')}${prof?.name ?? ''}`,
    ],
  });

  // 一、实验要求
  blocks.push({ t: 'h2', text: p('一、实验要求', '1. Requirements'), id: 'requirements' });
  blocks.push({
    t: 'list',
    ordered: true,
    items: [
      p(
        '搭建 Web 服务器（自由选择系统），并制作简单的 Web 页面，包含简单文本信息（至少包含专业、学号、姓名）和自己的 LOGO。',
        'Set up a web server (any system) and make a simple web page with some text (at least major, student ID and name) and your own logo.',
      ),
      p(
        '通过浏览器获取自己编写的 Web 页面，使用 Wireshark 捕获浏览器与 Web 服务器的交互过程，并进行简单的分析说明。',
        'Fetch the page with a browser, capture the exchange between the browser and the web server with Wireshark, and explain it briefly.',
      ),
      p('提交实验报告。', 'Hand in a lab report.'),
    ],
  });

  // 二、Web服务器的搭建
  blocks.push({ t: 'h2', text: p('二、Web服务器的搭建', '2. The web server'), id: 'server' });
  const pageTx = analysis.transactions.find((t) => t.kind === 'page');
  const logoTx = analysis.transactions.find((t) => t.kind === 'logo');
  blocks.push({
    t: 'p',
    text: p(
      `使用 WireLab 内置的 Web 服务器（Node.js http 模块）提供个人主页，监听 ${serverText}。在浏览器中输入 http://${serverText}/ 即可访问该页面，页面包含专业、学号、姓名和自己的 LOGO 图片。${pageTx?.response ? `抓包中，页面由帧 ${pageTx.response.frame} 返回（${pageTx.response.code} ${pageTx.response.phrase}，${pageTx.response.contentType ?? ''}，${pageTx.response.bodyBytes} 字节）` : ''}${logoTx?.response ? `，LOGO（${logoTx.request.uri}）由帧 ${logoTx.response.frame} 返回（${logoTx.response.contentType ?? ''}，${logoTx.response.bodyBytes} 字节）` : ''}${pageTx?.response ? '。' : ''}`,
      `The profile page is served by WireLab's embedded web server (Node.js http module) on ${serverText}. Opening http://${serverText}/ in a browser shows the page with major, student ID, name and the logo image.${pageTx?.response ? ` In the capture the page comes back in frame ${pageTx.response.frame} (${pageTx.response.code} ${pageTx.response.phrase}, ${pageTx.response.contentType ?? ''}, ${pageTx.response.bodyBytes} bytes)` : ''}${logoTx?.response ? ` and the logo (${logoTx.request.uri}) in frame ${logoTx.response.frame} (${logoTx.response.contentType ?? ''}, ${logoTx.response.bodyBytes} bytes)` : ''}${pageTx?.response ? '.' : ''}`,
    ),
  });
  let pageHtml = input.served?.html;
  let mainMessages: HttpMessage[] = [];
  if (main) mainMessages = followHttpStream(packets, main.stream, analysis.serverPort ?? undefined);
  if (pageHtml === undefined && pageTx?.response) {
    const m = mainMessages.find((x) => x.kind === 'response' && x.frame === pageTx.response?.frame);
    pageHtml = m?.bodyText;
  }
  if (pageHtml !== undefined) {
    blocks.push({ t: 'p', text: p('页面的 HTML 如下：', 'The page\u2019s HTML:') });
    blocks.push({ t: 'code', text: pageHtml });
  }
  for (const s of input.screenshots ?? []) {
    blocks.push({ t: 'image', src: s.path, alt: s.name, caption: s.caption, dataUrl: s.dataUrl });
  }

  // 三、报文
  blocks.push({ t: 'h2', text: p('三、报文', '3. Packets'), id: 'packets' });
  const syn = main?.handshake.segments.find((s) => s.step === 1) ?? main?.handshake.segments[0];
  const synPacket = syn ? byNumber.get(syn.frame) : undefined;
  blocks.push({ t: 'h3', text: p('3.1 TCP报文', '3.1 A TCP segment') });
  if (synPacket?.tree) {
    const tree = synPacket.tree.filter((n) => !n.hidden);
    blocks.push({
      t: 'p',
      text: p(
        `以第一次握手的 SYN 报文（帧 ${synPacket.number}）为例，Wireshark 把它分为 ${tree.length} 部分：`,
        `Take the first handshake segment, the SYN in frame ${synPacket.number}; Wireshark shows it in ${tree.length} parts:`,
      ),
    });
    blocks.push({ t: 'code', text: tree.map((n) => `> ${nodeLabel(n)}`).join('\n') });
    // The Frame item, and the link layer after it (a pcapng's "Packet comments" item comes first).
    const frameAt = Math.max(
      0,
      tree.findIndex((n) => n.field?.abbrev === 'frame'),
    );
    const frameNode = tree[frameAt];
    const linkNode = tree.length - frameAt > 3 ? tree[frameAt + 1] : undefined;
    const ipNode = tree.find((n) => n.field?.abbrev === 'ip' || n.field?.abbrev === 'ipv6');
    const tcpNode = tree.find((n) => n.field?.abbrev === 'tcp');
    const t = synPacket.tree;
    const diagramLayers = diagramNodes(synPacket.tree);
    const diagramCaption = (n: ProtoNode) =>
      p(
        `帧 ${synPacket.number} 的分组示意图：${nodeLabel(n)}`,
        `Packet diagram of frame ${synPacket.number}: ${nodeLabel(n)}`,
      );
    blocks.push({ t: 'h4', text: p('3.1.1 物理层数据帧概况', '3.1.1 The frame') });
    blocks.push({ t: 'code', text: treeWithExpanded(tree, (n) => n === frameNode) });
    blocks.push({
      t: 'p',
      text: p(
        `帧 ${synPacket.number}：线路上 ${synPacket.record.originalLength} 字节，捕获 ${synPacket.record.data.length} 字节，封装类型 ${fieldText(t, 'frame.encap_type') ?? ''}，相对第一帧的时间 ${synPacket.timeRelative.toFixed(6)} 秒，帧中的协议：${fieldText(t, 'frame.protocols') ?? synPacket.protocols.join(':')}。`,
        `Frame ${synPacket.number}: ${synPacket.record.originalLength} bytes on the wire, ${synPacket.record.data.length} captured, encapsulation type ${fieldText(t, 'frame.encap_type') ?? ''}, ${synPacket.timeRelative.toFixed(6)} s after the first frame, protocols ${fieldText(t, 'frame.protocols') ?? synPacket.protocols.join(':')}.`,
      ),
    });
    if (linkNode) {
      blocks.push({ t: 'h4', text: p('3.1.2 数据链路层头部信息', '3.1.2 The link-layer header') });
      blocks.push({ t: 'code', text: treeWithExpanded(tree, (n) => n === linkNode) });
      blocks.push(...headerDiagram(diagramLayers, linkNode, diagramCaption(linkNode)));
      const family = fieldText(t, 'null.family');
      const ethSrc = fieldText(t, 'eth.src');
      blocks.push({
        t: 'p',
        text:
          family !== undefined
            ? p(
                `这是本地回环（Null/Loopback）链路，头部只有 4 字节的地址族 Family = ${family}，用来说明上层是 IPv4 还是 IPv6，没有 MAC 地址。`,
                `This is the loopback (Null/Loopback) link: its header is only the 4-byte address family, Family = ${family}, telling IPv4 from IPv6; there are no MAC addresses.`,
              )
            : ethSrc !== undefined
              ? p(
                  `Linux 的回环接口 lo 使用以太网头部，但源和目的 MAC 地址都是 ${ethSrc}（全零），因为数据并没有离开本机；类型字段说明上层协议是 ${fieldText(t, 'eth.type') ?? ''}。`,
                  `Linux's loopback interface lo uses an Ethernet header, but both MAC addresses are ${ethSrc} (all zero) because nothing leaves the host; the type field names the upper protocol, ${fieldText(t, 'eth.type') ?? ''}.`,
                )
              : p(`链路层：${nodeLabel(linkNode)}。`, `Link layer: ${nodeLabel(linkNode)}.`),
      });
    }
    if (ipNode) {
      const v6 = ipNode.field?.abbrev === 'ipv6';
      blocks.push({ t: 'h4', text: p(`3.1.3 互联网层IP包头部信息`, '3.1.3 The IP header') });
      blocks.push({ t: 'code', text: treeWithExpanded(tree, (n) => n === ipNode) });
      blocks.push(...headerDiagram(diagramLayers, ipNode, diagramCaption(ipNode)));
      const k = ipNode.children ?? [];
      blocks.push({
        t: 'p',
        text: v6
          ? p(
              `这部分是 IPv6 头部：版本 6，流标签 ${fieldText(k, 'ipv6.flow') ?? ''}，载荷长度 ${fieldText(k, 'ipv6.plen') ?? ''} 字节，下一个头部 ${fieldText(k, 'ipv6.nxt') ?? ''}（TCP），跳数限制 ${fieldText(k, 'ipv6.hlim') ?? ''}，源地址 ${fieldText(k, 'ipv6.src') ?? ''}，目的地址 ${fieldText(k, 'ipv6.dst') ?? ''}。`,
              `This is the IPv6 header: version 6, flow label ${fieldText(k, 'ipv6.flow') ?? ''}, payload length ${fieldText(k, 'ipv6.plen') ?? ''} bytes, next header ${fieldText(k, 'ipv6.nxt') ?? ''} (TCP), hop limit ${fieldText(k, 'ipv6.hlim') ?? ''}, source ${fieldText(k, 'ipv6.src') ?? ''}, destination ${fieldText(k, 'ipv6.dst') ?? ''}.`,
            )
          : p(
              `这部分信息包含：IPv${fieldText(k, 'ip.version') ?? '4'} 协议，头部长度 ${fieldText(k, 'ip.hdr_len') ?? ''} 字节，IP 包总长度 ${fieldText(k, 'ip.len') ?? ''}，标识 ${fieldText(k, 'ip.id') ?? ''}，标志 ${fieldText(k, 'ip.flags') ?? ''}，生存时间 TTL = ${fieldText(k, 'ip.ttl') ?? ''}，上层协议 ${fieldText(k, 'ip.proto') ?? ''}（TCP），头部校验和 ${fieldText(k, 'ip.checksum') ?? ''}，源 IP 地址 ${fieldText(k, 'ip.src') ?? ''}，目的 IP 地址 ${fieldText(k, 'ip.dst') ?? ''}。`,
              `This part holds: IP version ${fieldText(k, 'ip.version') ?? '4'}, header length ${fieldText(k, 'ip.hdr_len') ?? ''} bytes, total length ${fieldText(k, 'ip.len') ?? ''}, identification ${fieldText(k, 'ip.id') ?? ''}, flags ${fieldText(k, 'ip.flags') ?? ''}, time to live TTL = ${fieldText(k, 'ip.ttl') ?? ''}, upper protocol ${fieldText(k, 'ip.proto') ?? ''} (TCP), header checksum ${fieldText(k, 'ip.checksum') ?? ''}, source ${fieldText(k, 'ip.src') ?? ''}, destination ${fieldText(k, 'ip.dst') ?? ''}.`,
            ),
      });
    }
    if (tcpNode && syn) {
      blocks.push({ t: 'h4', text: p('3.1.4 传输层数据段头部信息', '3.1.4 The TCP header') });
      blocks.push({ t: 'code', text: treeWithExpanded(tree, (n) => n === tcpNode) });
      blocks.push(...headerDiagram(diagramLayers, tcpNode, diagramCaption(tcpNode)));
      const opts: string[] = [];
      if (syn.mss !== null) opts.push(`MSS = ${syn.mss}`);
      if (syn.wscaleMultiplier !== null) opts.push(`WS = ${syn.wscaleMultiplier}`);
      if (syn.sackPerm) opts.push('SACK_PERM');
      blocks.push({
        t: 'p',
        text: p(
          `这部分信息包含：源端口 ${main?.client.port}，目的端口 ${main?.server.port}，流序号 [Stream index: ${main?.stream}]，标志为 ${syn.flags}（向服务器发送 SYN 报文，请求建立连接），seq = ${syn.seq}（相对序号；原始序号 ${syn.seqRaw}），ack = ${syn.ack}，窗口 ${syn.windowValue}${opts.length ? `，选项 ${opts.join('，')}` : ''}（此处分析的是第一次握手）。`,
          `This part holds: source port ${main?.client.port}, destination port ${main?.server.port}, [Stream index: ${main?.stream}], flags ${syn.flags} (a SYN asking the server to open a connection), seq = ${syn.seq} (relative; raw ${syn.seqRaw}), ack = ${syn.ack}, window ${syn.windowValue}${opts.length ? `, options ${opts.join(', ')}` : ''} (this is the first segment of the handshake).`,
        ),
      });
    }
  } else {
    blocks.push({
      t: 'p',
      text: p(
        '抓包中没有找到实验连接的 SYN 报文，无法展示 TCP 头部。请在打开网页之前开始抓包。',
        'No SYN of a lab connection was found in the capture, so the TCP header cannot be shown. Start the capture before opening the page.',
      ),
    });
  }

  blocks.push({ t: 'h3', text: p('3.2 HTTP报文', '3.2 HTTP messages') });
  const httpBlock = (frame: number | undefined, kind: 'request' | 'response', title: string) => {
    blocks.push({ t: 'h4', text: title });
    const pk = frame !== undefined ? byNumber.get(frame) : undefined;
    if (!pk?.tree) {
      blocks.push({ t: 'p', text: p('抓包中没有这条报文。', 'This message is not in the capture.') });
      return;
    }
    const hasHttp = pk.tree.some((n) => n.field?.abbrev === 'http');
    if (hasHttp) {
      blocks.push({
        t: 'code',
        text: treeWithExpanded(
          pk.tree.filter((n) => !n.hidden),
          (n) => n.field?.abbrev === 'http',
        ),
      });
    } else {
      const m =
        mainMessages.find((x) => x.kind === kind && x.frame === frame) ??
        analysis.connections
          .flatMap((c) => followHttpStream(packets, c.stream, analysis.serverPort ?? undefined))
          .find((x) => x.kind === kind && x.frame === frame);
      const lines = pk.tree.filter((n) => !n.hidden).map((n) => `> ${nodeLabel(n)}`);
      if (m) {
        lines.push('▼ Hypertext Transfer Protocol');
        lines.push(`  ${m.startLine}\\r\\n`);
        for (const h of m.headers) lines.push(`  ${h.name}: ${h.value}\\r\\n`);
        lines.push('  \\r\\n');
      }
      blocks.push({ t: 'code', text: lines.join('\n') });
    }
  };
  httpBlock(pageTx?.request.frame, 'request', p('3.2.1 HTTP请求报文', '3.2.1 The HTTP request'));
  if (pageTx)
    blocks.push({
      t: 'p',
      text: p(
        `帧 ${pageTx.request.frame} 在 TCP 之上多了 HTTP 部分。请求行说明方法为 ${pageTx.request.method}，请求的 URI 为 ${pageTx.request.uri}，版本为 ${pageTx.request.version}；Host 为 ${pageTx.request.host ?? ''}${pageTx.request.userAgent ? `，User-Agent 说明浏览器是 ${pageTx.request.userAgent}` : ''}。请求共 ${pageTx.request.totalBytes} 字节，没有正文。`,
        `Frame ${pageTx.request.frame} adds an HTTP part on top of TCP. The request line gives the method ${pageTx.request.method}, the URI ${pageTx.request.uri} and the version ${pageTx.request.version}; Host is ${pageTx.request.host ?? ''}${pageTx.request.userAgent ? `, and User-Agent names the browser: ${pageTx.request.userAgent}` : ''}. The request is ${pageTx.request.totalBytes} bytes with no body.`,
      ),
    });
  httpBlock(pageTx?.response?.frame, 'response', p('3.2.2 HTTP响应报文', '3.2.2 The HTTP response'));
  if (pageTx?.response)
    blocks.push({
      t: 'p',
      text: p(
        `帧 ${pageTx.response.frame} 是响应：状态行 ${pageTx.response.version} ${pageTx.response.code} ${pageTx.response.phrase}，Content-Type: ${pageTx.response.contentType ?? ''}${pageTx.response.contentLength !== undefined ? `，Content-Length: ${pageTx.response.contentLength}` : ''}${pageTx.response.keepAlive ? `，Keep-Alive: ${pageTx.response.keepAlive}` : ''}。与请求报文相比，响应报文多了响应体，这里是 ${pageTx.response.bodyBytes} 字节的 HTML 文件内容。`,
        `Frame ${pageTx.response.frame} is the response: status line ${pageTx.response.version} ${pageTx.response.code} ${pageTx.response.phrase}, Content-Type: ${pageTx.response.contentType ?? ''}${pageTx.response.contentLength !== undefined ? `, Content-Length: ${pageTx.response.contentLength}` : ''}${pageTx.response.keepAlive ? `, Keep-Alive: ${pageTx.response.keepAlive}` : ''}. Unlike the request it has a body: ${pageTx.response.bodyBytes} bytes of HTML.`,
      ),
    });

  // 四、Wireshark捕获
  blocks.push({ t: 'h2', text: p('四、Wireshark捕获', '4. The capture'), id: 'capture' });
  const labFrames = analysis.connections.flatMap((c) => c.frames).sort((a, b) => a - b);
  blocks.push({
    t: 'p',
    text: p(
      `先开始抓包，再在浏览器中打开 http://${serverText}/。客户端和服务器都在本机，所以抓的是回环接口；用显示过滤器 tcp.port == ${analysis.serverPort ?? ''} 只显示浏览器与 Web 服务器之间的 ${labFrames.length} 个数据包：`,
      `Start the capture first, then open http://${serverText}/ in the browser. Client and server are the same machine, so the loopback interface is captured; the display filter tcp.port == ${analysis.serverPort ?? ''} keeps the ${labFrames.length} packets between the browser and the web server:`,
    ),
  });
  const lines = (frames: readonly number[]) =>
    frames
      .map((f) => byNumber.get(f))
      .filter((x): x is DissectedPacket => x !== undefined)
      .map(packetLine)
      .join('\n');
  blocks.push({ t: 'code', text: lines(labFrames) });
  blocks.push({
    t: 'svg',
    svg,
    file: flowFile,
    caption: p('流量图（Statistics → Flow Graph，TCP 流）', 'Flow graph (Statistics → Flow Graph, TCP flows)'),
  });
  blocks.push(...section(findSection(sections, 'overview')));

  blocks.push({ t: 'h3', text: p('4.1 三次握手', '4.1 Three-way handshake') });
  if (main) blocks.push({ t: 'code', text: lines(main.handshake.segments.map((s) => s.frame)) });
  blocks.push(...section(findSection(sections, 'handshake')));

  blocks.push({ t: 'h3', text: p('4.2 HTTP请求', '4.2 HTTP requests') });
  if (main) {
    const hsEnd = main.handshake.segments.length
      ? main.handshake.segments[main.handshake.segments.length - 1].frame
      : 0;
    const tdStart = main.teardown.segments.length ? main.teardown.segments[0].frame : Infinity;
    blocks.push({
      t: 'code',
      text: lines(main.frames.filter((f) => f > hsEnd && f < tdStart && !main.duplicateFrames.includes(f))),
    });
  }
  for (const s of sections.filter((x) => x.id.startsWith('http-'))) {
    if (s.id !== `http-${main?.stream}`) blocks.push({ t: 'h4', text: s.title });
    blocks.push(...section(s));
  }

  const td = findSection(sections, 'teardown');
  blocks.push({ t: 'h3', text: td ? `4.3 ${td.title}` : p('4.3 四次挥手', '4.3 Teardown') });
  if (main && main.teardown.segments.length)
    blocks.push({ t: 'code', text: lines(main.teardown.segments.map((s) => s.frame)) });
  blocks.push(...section(td));
  const states = findSection(sections, 'states');
  if (states) {
    blocks.push({ t: 'h4', text: states.title });
    blocks.push({ t: 'list', items: states.paragraphs.map((x) => x.text) });
  }
  const others = sections.filter((s) => s.id.startsWith('connection-') || s.id === 'notes' || s.id.startsWith('rtt-'));
  if (others.length) {
    blocks.push({ t: 'h3', text: p('4.4 其他连接与说明', '4.4 Other connections and notes') });
    for (const s of others) {
      blocks.push({ t: 'h4', text: s.title });
      blocks.push(...section(s));
    }
  }

  blocks.push(...scenarioSection(packets, analysis, lang));

  const title = prof
    ? `${p('计算机网络实验报告', 'Computer Networks Lab Report')} — ${prof.name}`
    : p('计算机网络实验报告', 'Computer Networks Lab Report');
  return { markdown: renderMarkdown(blocks), html: renderHtml(blocks, title, lang), flowGraphSvg: svg };
}

// ---------------------------------------------------------------------------------------------

function mdEscape(text: string): string {
  return text.replace(/([\\`*[\]<>|])/g, '\\$1');
}

function fence(text: string): string {
  let f = '```';
  while (text.includes(f)) f += '`';
  return f;
}

function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.t) {
      case 'h1':
        out.push(`# ${mdEscape(b.text)}`);
        break;
      case 'h2':
        out.push(`## ${mdEscape(b.text)}`);
        break;
      case 'h3':
        out.push(`### ${mdEscape(b.text)}`);
        break;
      case 'h4':
        out.push(`#### ${mdEscape(b.text)}`);
        break;
      case 'p':
        out.push(mdEscape(b.text));
        break;
      case 'meta':
        out.push(b.lines.map(mdEscape).join('  \n'));
        break;
      case 'list':
        out.push(b.items.map((it, i) => `${b.ordered ? `${i + 1}.` : '-'} ${mdEscape(it)}`).join('\n'));
        break;
      case 'code': {
        const f = fence(b.text);
        out.push(`${f}\n${b.text}\n${f}`);
        break;
      }
      case 'image':
        out.push(`![${mdEscape(b.alt)}](${encodeMdUrl(b.src)})\n\n*${mdEscape(b.caption)}*`);
        break;
      case 'svg':
        out.push(`![${mdEscape(b.caption)}](${encodeMdUrl(b.file)})\n\n*${mdEscape(b.caption)}*`);
        break;
    }
  }
  return out.join('\n\n') + '\n';
}

function encodeMdUrl(path: string): string {
  return path.replace(/\\/g, '/').replace(/[ ()<>]/g, (c) => encodeURIComponent(c));
}

const CSS = `
body{font-family:${SVG_FONT_FAMILY};max-width:960px;margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.6;background:#fff}
h1{text-align:center;font-size:1.8em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}
.meta{text-align:center;margin-bottom:2em}.meta p{margin:.2em 0}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.8em;overflow-x:auto;font-size:12px;line-height:1.45;font-family:'Noto Sans Mono CJK SC','Cascadia Mono',Consolas,Menlo,monospace;white-space:pre}
figure{margin:1em 0;text-align:center}figure img{max-width:100%;border:1px solid #d0d7de}figcaption{color:#656d76;font-size:.9em}
.svg-wrap{overflow-x:auto;border:1px solid #d0d7de;border-radius:6px}
@media print{pre{white-space:pre-wrap}}
`;

function renderHtml(blocks: readonly Block[], title: string, lang: LabLang): string {
  const e = escapeXml;
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push(`<html lang="${lang}">`);
  out.push('<head>');
  out.push('<meta charset="utf-8">');
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: file: 'self'">`,
  );
  out.push(`<title>${e(title)}</title>`);
  out.push(`<style>${CSS}</style>`);
  out.push('</head>');
  out.push('<body>');
  for (const b of blocks) {
    switch (b.t) {
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
        out.push(`<${b.t}${'id' in b && b.id ? ` id="${e(b.id)}"` : ''}>${e(b.text)}</${b.t}>`);
        break;
      case 'p':
        out.push(`<p>${e(b.text)}</p>`);
        break;
      case 'meta':
        out.push(`<div class="meta">${b.lines.map((l) => `<p>${e(l)}</p>`).join('')}</div>`);
        break;
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        out.push(`<${tag}>${b.items.map((it) => `<li>${e(it)}</li>`).join('')}</${tag}>`);
        break;
      }
      case 'code':
        out.push(`<pre><code>${e(b.text)}</code></pre>`);
        break;
      case 'image':
        out.push(
          `<figure><img src="${e(b.dataUrl ?? b.src.replace(/\\/g, '/'))}" alt="${e(b.alt)}"><figcaption>${e(b.caption)}</figcaption></figure>`,
        );
        break;
      case 'svg':
        out.push(
          `<figure><div class="svg-wrap">${stripXmlProlog(b.svg)}</div><figcaption>${e(b.caption)}</figcaption></figure>`,
        );
        break;
    }
  }
  out.push('</body>');
  out.push('</html>');
  return out.join('\n') + '\n';
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}
