// A tiny web server for the dockerfix demo image.
const http = require('node:http');

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello from dockerfix\n');
  })
  .listen(port, () => console.log(`listening on ${port}`));
