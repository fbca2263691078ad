module whatsapp-peer

go 1.19
