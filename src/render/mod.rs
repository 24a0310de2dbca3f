//! The `render` stage: display list to PDF (PDF/X-4, PDF/X-1a or plain). The only stage that
//! knows PDF; it draws what `compose` decided and decides nothing about layout.
