-- Headless Neovim as an LSP client of `proxy lsp --stdio`: opens $LSP_FILE, waits (bounded) for diagnostics,
-- asks for completions at $LSP_LINE:$LSP_CHAR (0-based), writes both as JSON to $LSP_OUT and quits.
local file, out = os.getenv('LSP_FILE'), os.getenv('LSP_OUT')
local cmd = { os.getenv('LSP_NODE'), os.getenv('LSP_CLI'), 'lsp', '--stdio' }
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start({ name = 'proxy', cmd = cmd, root_dir = vim.fn.fnamemodify(file, ':h') })
else
  -- Neovim 0.7 (Debian 12) has no vim.lsp.start.
  client_id = vim.lsp.start_client({ name = 'proxy', cmd = cmd, root_dir = vim.fn.fnamemodify(file, ':h') })
  vim.lsp.buf_attach_client(bufnr, client_id)
end
local result = { diagnostics = {}, completion = {} }
vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, message = d.message, severity = d.severity })
end
local client = vim.lsp.get_client_by_id(client_id)
if client then
  local resp = client.request_sync('textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = tonumber(os.getenv('LSP_LINE')), character = tonumber(os.getenv('LSP_CHAR')) },
  }, 10000, bufnr)
  local items = resp and resp.result or {}
  if items.items then items = items.items end
  for _, item in ipairs(items) do table.insert(result.completion, item.label) end
  client.stop()
end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
