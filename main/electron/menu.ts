/**
 * The application menu, with Wireshark's shortcuts where Wireshark has one:
 *   File → Open… (Ctrl+O), Save (Ctrl+S), Save As… (Ctrl+Shift+S), Export Packet Dissections, Quit (Ctrl+Q)
 *   Capture → Start Lab / Stop (Ctrl+E toggles, like Wireshark's Start/Stop capture), Options… (Ctrl+K)
 *   Edit → Find Packet (Ctrl+F), Mark/Unmark Packet (Ctrl+M), Set/Unset Time Reference (Ctrl+T)
 *   View → Display Filter (Ctrl+/), Packet Diagram, Time Display Format, zoom (Ctrl+= / Ctrl+- / Ctrl+0), theme, language
 *   Go → Back (Alt+Left), Forward (Alt+Right)
 *   Statistics → Capture File Properties, Protocol Hierarchy, Conversations, Endpoints; Expert Information
 *   File → Export Objects → HTTP…
 *   Help → About
 * A pure template builder: electron-main.ts passes the state and the handlers and calls Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, OpenPageIn, Theme } from '../../bridge/desktop-api';

export type MenuLocale = 'en' | 'zh-CN';

export interface MenuState {
  platform: NodeJS.Platform;
  locale: MenuLocale;
  labRunning: boolean;
  theme: Theme;
  openPageIn: OpenPageIn;
  devTools: boolean;
}

export interface MenuHandlers {
  /** Sends a MenuAction to the renderer. */
  send(action: MenuAction): void;
  setTheme(theme: Theme): void;
  setOpenPageIn(where: OpenPageIn): void;
  about(): void;
}

const LABELS = {
  en: {
    file: '&File',
    open: '&Open…',
    save: '&Save',
    saveAs: 'Save &As…',
    exportDissections: 'Export Packet &Dissections',
    asPlainText: 'As Plain &Text…',
    exportScreenshot: 'Export Screens&hot…',
    quit: '&Quit',
    edit: '&Edit',
    capture: '&Capture',
    startLab: '&Start Lab',
    stop: 'S&top',
    openPageIn: 'Open the Profile Page In',
    inWindow: 'a WireLab Window',
    inBrowser: 'the System Browser',
    view: '&View',
    displayFilter: 'Display &Filter',
    zoomIn: 'Zoom &In',
    zoomOut: 'Zoom &Out',
    resetZoom: '&Normal Size',
    fullScreen: 'F&ull Screen',
    theme: '&Theme',
    themeSystem: 'Follow the System',
    themeLight: 'Light',
    themeDark: 'Dark',
    language: '&Language',
    reload: 'Reload',
    devTools: 'Developer Tools',
    help: '&Help',
    about: '&About WireLab',
    findPacket: '&Find Packet…',
    markPacket: '&Mark/Unmark Packet',
    unmarkAll: 'Unmark &All Packets',
    timeReference: 'Set/Unset &Time Reference',
    go: '&Go',
    back: '&Back',
    forward: '&Forward',
    packetDiagram: 'Packet &Diagram',
    timeFormat: 'Time Display For&mat',
    tfRelative: 'Seconds Since Beginning of Capture',
    tfDelta: 'Seconds Since Previous Captured Packet',
    tfDeltaDisplayed: 'Seconds Since Previous Displayed Packet',
    tfTimeOfDay: 'Time of Day',
    tfDateTime: 'Date and Time of Day',
    tfUtcTimeOfDay: 'UTC Time of Day',
    tfUtcDateTime: 'UTC Date and Time of Day',
    tfEpoch: 'Seconds Since 1970-01-01',
    captureOptions: '&Options…',
    exportObjects: 'Export Ob&jects',
    exportObjectsHttp: '&HTTP…',
    statistics: '&Statistics',
    statsProperties: 'Capture File &Properties',
    statsHierarchy: 'Protocol &Hierarchy',
    statsConversations: '&Conversations',
    statsEndpoints: '&Endpoints',
    statsExpert: 'E&xpert Information',
    statsIo: '&I/O Graph',
  },
  'zh-CN': {
    file: '文件(&F)',
    open: '打开(&O)…',
    save: '保存(&S)',
    saveAs: '另存为(&A)…',
    exportDissections: '导出分组解析结果(&D)',
    asPlainText: '为纯文本(&T)…',
    exportScreenshot: '导出截图(&H)…',
    quit: '退出(&Q)',
    edit: '编辑(&E)',
    capture: '捕获(&C)',
    startLab: '开始实验(&S)',
    stop: '停止(&T)',
    openPageIn: '个人主页打开方式',
    inWindow: 'WireLab 窗口',
    inBrowser: '系统浏览器',
    view: '视图(&V)',
    displayFilter: '显示过滤器(&F)',
    zoomIn: '放大(&I)',
    zoomOut: '缩小(&O)',
    resetZoom: '原始大小(&N)',
    fullScreen: '全屏(&U)',
    theme: '主题(&T)',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    language: '语言(&L)',
    reload: '重新加载',
    devTools: '开发者工具',
    help: '帮助(&H)',
    about: '关于 WireLab(&A)',
    findPacket: '查找分组(&F)…',
    markPacket: '标记/取消标记分组(&M)',
    unmarkAll: '取消全部标记(&A)',
    timeReference: '设置/取消时间参考(&T)',
    go: '跳转(&G)',
    back: '后退(&B)',
    forward: '前进(&F)',
    packetDiagram: '分组示意图(&D)',
    timeFormat: '时间显示格式(&M)',
    tfRelative: '自捕获开始经过的秒数',
    tfDelta: '自上一个捕获分组经过的秒数',
    tfDeltaDisplayed: '自上一个显示分组经过的秒数',
    tfTimeOfDay: '一天中的时间',
    tfDateTime: '日期和时间',
    tfUtcTimeOfDay: 'UTC 一天中的时间',
    tfUtcDateTime: 'UTC 日期和时间',
    tfEpoch: '自 1970-01-01 经过的秒数',
    captureOptions: '选项(&O)…',
    exportObjects: '导出对象(&J)',
    exportObjectsHttp: '&HTTP…',
    statistics: '统计(&S)',
    statsProperties: '捕获文件属性(&P)',
    statsHierarchy: '协议分级(&H)',
    statsConversations: '会话(&C)',
    statsEndpoints: '端点(&E)',
    statsExpert: '专家信息(&X)',
    statsIo: 'I/O 图表(&I)',
  },
} as const;

/** zh-CN for Chinese system locales (zh, zh-CN, zh-Hans, zh-SG…), English otherwise. */
export function menuLocale(systemLocale: string): MenuLocale {
  return /^zh(-(CN|SG|Hans))?/i.test(systemLocale) && !/^zh-(TW|HK|MO|Hant)/i.test(systemLocale) ? 'zh-CN' : 'en';
}

/** Strips the Windows/Linux mnemonic markers on macOS, which shows them literally. */
function label(text: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? text.replace(/\(&.\)/, '').replace(/&/g, '') : text;
}

export function buildMenuTemplate(state: MenuState, handlers: MenuHandlers): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const l = Object.fromEntries(
    Object.entries(LABELS[state.locale]).map(([k, v]) => [k, label(v, state.platform)]),
  ) as Record<keyof (typeof LABELS)['en'], string>;
  const send = (action: MenuAction) => () => handlers.send(action);

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'WireLab',
      submenu: [
        { label: l.about, click: () => handlers.about() },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit', label: l.quit },
      ],
    });
  }

  template.push({
    id: 'file',
    label: l.file,
    submenu: [
      { id: 'open', label: l.open, accelerator: 'CmdOrCtrl+O', click: send('open') },
      { type: 'separator' },
      { id: 'save', label: l.save, accelerator: 'CmdOrCtrl+S', click: send('save') },
      { id: 'save-as', label: l.saveAs, accelerator: 'CmdOrCtrl+Shift+S', click: send('save-as') },
      { type: 'separator' },
      {
        id: 'export-dissections',
        label: l.exportDissections,
        submenu: [{ id: 'export-dissections-text', label: l.asPlainText, click: send('export-dissections') }],
      },
      { id: 'export-screenshot', label: l.exportScreenshot, click: send('export-screenshot') },
      {
        id: 'export-objects',
        label: l.exportObjects,
        submenu: [{ id: 'export-objects-http', label: l.exportObjectsHttp, click: send('export-objects-http') }],
      },
      ...(mac
        ? []
        : ([{ type: 'separator' }, { id: 'quit', role: 'quit', label: l.quit, accelerator: 'CmdOrCtrl+Q' }] as const)),
    ],
  });

  template.push({
    label: l.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { id: 'find-packet', label: l.findPacket, accelerator: 'CmdOrCtrl+F', click: send('find-packet') },
      { type: 'separator' },
      { id: 'toggle-mark', label: l.markPacket, accelerator: 'CmdOrCtrl+M', click: send('toggle-mark') },
      { id: 'unmark-all', label: l.unmarkAll, click: send('unmark-all') },
      { type: 'separator' },
      {
        id: 'toggle-time-reference',
        label: l.timeReference,
        accelerator: 'CmdOrCtrl+T',
        click: send('toggle-time-reference'),
      },
    ],
  });

  template.push({
    id: 'capture',
    label: l.capture,
    submenu: [
      state.labRunning
        ? { id: 'toggle-lab', label: l.stop, accelerator: 'CmdOrCtrl+E', click: send('stop-lab') }
        : { id: 'toggle-lab', label: l.startLab, accelerator: 'CmdOrCtrl+E', click: send('start-lab') },
      {
        id: 'capture-options',
        label: l.captureOptions,
        accelerator: 'CmdOrCtrl+K',
        enabled: !state.labRunning,
        click: send('capture-options'),
      },
      { type: 'separator' },
      {
        id: 'open-page-in',
        label: l.openPageIn,
        submenu: [
          {
            id: 'open-page-in-window',
            label: l.inWindow,
            type: 'radio',
            checked: state.openPageIn === 'window',
            click: () => handlers.setOpenPageIn('window'),
          },
          {
            id: 'open-page-in-browser',
            label: l.inBrowser,
            type: 'radio',
            checked: state.openPageIn === 'browser',
            click: () => handlers.setOpenPageIn('browser'),
          },
        ],
      },
    ],
  });

  const theme = (value: Theme, text: string): MenuItemConstructorOptions => ({
    id: `theme-${value}`,
    label: text,
    type: 'radio',
    checked: state.theme === value,
    click: () => handlers.setTheme(value),
  });
  template.push({
    id: 'view',
    label: l.view,
    submenu: [
      { id: 'focus-filter', label: l.displayFilter, accelerator: 'CmdOrCtrl+/', click: send('focus-filter') },
      { id: 'toggle-diagram', label: l.packetDiagram, click: send('toggle-diagram') },
      {
        id: 'time-format',
        label: l.timeFormat,
        submenu: (
          [
            ['relative', l.tfRelative],
            ['delta', l.tfDelta],
            ['delta_displayed', l.tfDeltaDisplayed],
            ['time_of_day', l.tfTimeOfDay],
            ['date_time', l.tfDateTime],
            ['utc_time_of_day', l.tfUtcTimeOfDay],
            ['utc_date_time', l.tfUtcDateTime],
            ['epoch', l.tfEpoch],
          ] as const
        ).map(([format, text]) => ({
          id: `time-format-${format}`,
          label: text,
          click: send(`time-format-${format}`),
        })),
      },
      { type: 'separator' },
      { id: 'zoom-in', role: 'zoomIn', label: l.zoomIn, accelerator: 'CmdOrCtrl+=' },
      { id: 'zoom-out', role: 'zoomOut', label: l.zoomOut, accelerator: 'CmdOrCtrl+-' },
      { id: 'reset-zoom', role: 'resetZoom', label: l.resetZoom, accelerator: 'CmdOrCtrl+0' },
      { role: 'togglefullscreen', label: l.fullScreen },
      { type: 'separator' },
      {
        id: 'theme',
        label: l.theme,
        submenu: [theme('system', l.themeSystem), theme('light', l.themeLight), theme('dark', l.themeDark)],
      },
      {
        id: 'language',
        label: l.language,
        submenu: [
          { id: 'language-zh-CN', label: '简体中文', click: send('language-zh-CN') },
          { id: 'language-en', label: 'English', click: send('language-en') },
        ],
      },
      ...(state.devTools
        ? ([
            { type: 'separator' },
            { role: 'reload', label: l.reload },
            { role: 'toggleDevTools', label: l.devTools },
          ] as const)
        : []),
    ],
  });

  template.push({
    id: 'go',
    label: l.go,
    submenu: [
      { id: 'go-back', label: l.back, accelerator: 'Alt+Left', click: send('go-back') },
      { id: 'go-forward', label: l.forward, accelerator: 'Alt+Right', click: send('go-forward') },
    ],
  });

  template.push({
    id: 'statistics',
    label: l.statistics,
    submenu: [
      { id: 'stats-properties', label: l.statsProperties, click: send('stats-properties') },
      { type: 'separator' },
      { id: 'stats-hierarchy', label: l.statsHierarchy, click: send('stats-hierarchy') },
      { id: 'stats-conversations', label: l.statsConversations, click: send('stats-conversations') },
      { id: 'stats-endpoints', label: l.statsEndpoints, click: send('stats-endpoints') },
      { type: 'separator' },
      { id: 'stats-expert', label: l.statsExpert, click: send('stats-expert') },
      { id: 'stats-io', label: l.statsIo, click: send('stats-io') },
    ],
  });

  if (!mac) {
    template.push({
      id: 'help',
      label: l.help,
      submenu: [{ id: 'about', label: l.about, click: () => handlers.about() }],
    });
  }
  return template;
}
