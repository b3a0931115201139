/**
 * `upload`: a form that POSTs a text file (assets/upload-sample.txt, about 150 KB, public
 * domain) to `/upload`. The server reads the body, counts and discards it (nothing is stored;
 * more than UPLOAD_MAX_BYTES gets 413) and answers 200. `/upload-sample.txt` serves the file so
 * the student can download it and choose it in the form.
 */
import { scenarioPage } from './html';
import { loadUploadSample, UPLOAD_SAMPLE_FILE } from './sample';
import type { ScenarioModule } from './types';

export const UPLOAD_PATH = '/upload';
export const UPLOAD_MAX_BYTES = 4 << 20;

export const uploadScenario: ScenarioModule = {
  name: 'upload',
  build: ({ profile, assetsDir }) => {
    const sample = Buffer.from(loadUploadSample(assetsDir), 'utf8');
    const page = scenarioPage({
      name: 'upload',
      title: 'Upload a file · 上传文件',
      profile,
      form: true,
      bodyHtml:
        `<p>1. Download <a href="/${UPLOAD_SAMPLE_FILE}" download>${UPLOAD_SAMPLE_FILE}</a> (${sample.length} bytes). ` +
        `下载 <a href="/${UPLOAD_SAMPLE_FILE}" download>${UPLOAD_SAMPLE_FILE}</a>（${sample.length} 字节）。</p>\n` +
        '<p>2. Choose it below and press Upload. 在下面选择该文件并点击“上传”。</p>\n' +
        `<form method="post" action="${UPLOAD_PATH}" enctype="multipart/form-data">` +
        '<input type="file" name="file" accept=".txt,text/plain" required /> ' +
        '<button type="submit">Upload 上传</button></form>',
    });
    return {
      scenario: 'upload',
      startPath: '/',
      upload: { path: UPLOAD_PATH, maxBytes: UPLOAD_MAX_BYTES },
      routes: new Map([
        ['/', page],
        ['/index.html', page],
        [`/${UPLOAD_SAMPLE_FILE}`, { contentType: 'text/plain; charset=utf-8', body: sample }],
      ]),
    };
  },
};

/** The page answering an upload: how many bytes arrived (and that none were kept). */
export function uploadReceivedPage(bytes: number): string {
  return (
    `<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta name="wirelab-scenario" content="upload" />\n` +
    `<meta charset="UTF-8" />\n<title>Upload received</title>\n</head>\n<body>\n` +
    `<p>Received ${bytes} bytes; nothing was stored. 已收到 ${bytes} 字节，未保存任何内容。</p>\n` +
    `<p><a href="/">Back 返回</a></p>\n</body>\n</html>\n`
  );
}
